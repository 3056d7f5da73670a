"""What issuance would build: the token preview, the impact of a pending change, claim tests."""
