"""JOSE names the provider and its resource servers share: algorithms, the access-token type,
and the compact JSON a token carries.

No import beyond the standard library: ``contrib.rest_framework`` uses it in resource servers
that do not install the provider's app.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

# The asymmetric algorithms the provider signs with (RFC 7518 and RFC 8037 names).
ES256 = "ES256"
EDDSA = "EdDSA"
RS256 = "RS256"
ALGORITHMS = (ES256, EDDSA, RS256)
# DOT's shared-secret ID tokens (the client secret is the key): never for access tokens.
HS256 = "HS256"
# The JOSE "typ" of RFC 9068 access tokens, short and long (RFC 9068 section 2.1).
ACCESS_TOKEN_TYP = "at+jwt"
ACCESS_TOKEN_TYPES = (ACCESS_TOKEN_TYP, f"application/{ACCESS_TOKEN_TYP}")


def compact_json(value: Any) -> str:
    """``value`` as a token's header or payload carries it: JSON without spaces.

    Strict: a value that is not JSON raises TypeError instead of becoming a string.
    """
    return json.dumps(value, separators=(",", ":"))


def unverified_parts(token: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The header and claims of a compact JWS, **without checking its signature**; None when
    ``token`` is not one (or its parts are not JSON objects).

    Only for tokens known to be genuine another way: found by checksum among the tokens this
    provider stored, or already verified. Never to decide whether to trust a token.
    """
    segments = token.split(".")
    if len(segments) != 3:
        return None
    try:
        header, claims = (
            json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
            for part in segments[:2]
        )
    except (binascii.Error, ValueError):  # bad base64, bytes not UTF-8, text not JSON
        return None
    if not isinstance(header, dict) or not isinstance(claims, dict):
        return None
    return header, claims


def unverified_access_token_claims(token: str) -> dict[str, Any] | None:
    """The claims of an RFC 9068 JWT access token (``typ`` at+jwt), signature unchecked
    (see :func:`unverified_parts`); None for an opaque or another kind of token."""
    parts = unverified_parts(token)
    if parts is None or str(parts[0].get("typ", "")).lower() not in ACCESS_TOKEN_TYPES:
        return None
    return parts[1]
