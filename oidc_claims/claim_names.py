"""Claim names that admins may not define: registered JWT and OpenID Connect protocol claims."""

from __future__ import annotations

# Set by the token layer from the protocol, never by configuration: a configured value would
# let an admin forge identity (sub), audience (aud), lifetime (exp) or token binding (cnf).
# Compared case-sensitively, as JSON member names are.
RESERVED_CLAIM_NAMES: frozenset[str] = frozenset(
    {
        "iss",
        "sub",
        "aud",
        "exp",
        "nbf",
        "iat",
        "jti",
        "auth_time",
        "nonce",
        "acr",
        "amr",
        "azp",
        "at_hash",
        "c_hash",
        "sid",
        "scope",
        "client_id",
        "cnf",
        "typ",
    }
)


def is_reserved_claim_name(name: str) -> bool:
    """Whether ``name`` is a registered or protocol claim that configuration may not set."""
    return name in RESERVED_CLAIM_NAMES
