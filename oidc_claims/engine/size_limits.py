"""Caps on the encoded size of one claim's value and of one token's claims.

Sizes are of compact JSON as tokens carry it (``json.dumps`` with ``(",", ":")``
separators and ASCII escapes, as :func:`oidc_claims.tokens.builders.sign_jwt` encodes payloads), in
bytes. A value over ``CLAIM_MAX_BYTES`` is omitted from every token (trace reason
``value_too_large``); a token over ``TOKEN_MAX_BYTES`` refuses the request with an OAuth
error, like a groups claim over its limit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from oidc_claims.conf import claims_settings
from oidc_claims.engine.exceptions import ClaimValueTooLarge, TokenTooLarge
from oidc_claims.jose import compact_json

# An ASCII-escaped character takes at most this many bytes ("\ud83d" per UTF-16 unit).
_MAX_ESCAPED_BYTES_PER_CHARACTER = 6


def encoded_size(value: Any) -> int:
    """Bytes of ``value`` as compact JSON, as a token carries it."""
    return len(compact_json(value))


def check_claim_size(claim_name: str, value: Any) -> None:
    """Raise ClaimValueTooLarge when ``value`` encodes to more than ``CLAIM_MAX_BYTES``."""
    if value is None or isinstance(value, (bool, int, float)):
        return
    limit = claims_settings.CLAIM_MAX_BYTES
    # Short text cannot be over the limit, whatever it escapes to: skip encoding it.
    if isinstance(value, str) and len(value) * _MAX_ESCAPED_BYTES_PER_CHARACTER + 2 <= limit:
        return
    size = encoded_size(value)
    if size > limit:
        raise ClaimValueTooLarge(claim_name, size, limit)


def check_token_size(token: str, payload: Mapping[str, Any]) -> None:
    """Raise TokenTooLarge when ``payload`` (the ``token``'s claims, e.g. "ID token")
    encodes to more than ``TOKEN_MAX_BYTES``."""
    limit = claims_settings.TOKEN_MAX_BYTES
    size = encoded_size(dict(payload))
    if size > limit:
        raise TokenTooLarge(token, size, limit)
