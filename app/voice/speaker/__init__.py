"""The interviewer's voice on the server: a `Speaker` Protocol, Piper behind it, a bounded synthesis pool."""
