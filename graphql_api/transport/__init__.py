"""What every request and WebSocket message goes through before the GraphQL layer or a
webhook sees it: byte limits while bodies stream in, and the security headers."""
