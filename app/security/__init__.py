"""Security parts shared by the API: host/origin policy, the request guard, passwords, tokens, limits, logs."""
