"""HTTP and WebSocket routes: thin, each one module per resource."""
