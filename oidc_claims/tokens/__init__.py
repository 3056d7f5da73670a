"""Token payloads (ID token, RFC 9068 access token, userinfo, introspection) and their inputs."""
