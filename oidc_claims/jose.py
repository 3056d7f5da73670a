"""JOSE names the provider and its resource servers share: algorithms, the access-token type,
and the compact JSON a token carries.

No import beyond the standard library: ``contrib.rest_framework`` uses it in resource servers
that do not install the provider's app.
"""

from __future__ import annotations

import json
from typing import Any

# The asymmetric algorithms the provider signs with (RFC 7518 and RFC 8037 names).
ES256 = "ES256"
EDDSA = "EdDSA"
RS256 = "RS256"
ALGORITHMS = (ES256, EDDSA, RS256)
# DOT's shared-secret ID tokens (the client secret is the key): never for access tokens.
HS256 = "HS256"
# The JOSE "typ" of RFC 9068 access tokens.
ACCESS_TOKEN_TYP = "at+jwt"


def compact_json(value: Any) -> str:
    """``value`` as a token's header or payload carries it: JSON without spaces.

    Strict: a value that is not JSON raises TypeError instead of becoming a string.
    """
    return json.dumps(value, separators=(",", ":"))
