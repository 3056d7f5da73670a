"""``HasClaim``: a DRF permission that requires a claim value in the access token."""

from __future__ import annotations

import hashlib
from typing import Any

from rest_framework.permissions import (
    AND,
    NOT,
    OR,
    BasePermission,
    OperandHolder,
    SingleOperandHolder,
)

from oidc_claims.jose import unverified_parts


def presented_token(auth: Any, request: Any) -> str | None:
    """The JWT of a DOT AccessToken: stored, or, where DOT keeps only its checksum
    (``COMPLIANT_BCP_RFC9700_TOKEN_STORAGE``), the bearer token of the request it matches."""
    stored = getattr(auth, "token", None)
    if stored or request is None:
        return stored
    scheme, _, bearer = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    bearer = bearer.strip()
    if scheme.lower() != "bearer" or not bearer:
        return None
    checksum = hashlib.sha256(bearer.encode("utf-8")).hexdigest()
    return bearer if checksum == getattr(auth, "token_checksum", None) else None


def token_claims(auth: Any, request: Any = None) -> dict[str, Any]:
    """The claims of ``request.auth``: from JWTAccessTokenAuthentication, or from the JWT
    of a DOT AccessToken (found by DOT's OAuth2Authentication, so issued by us)."""
    claims = getattr(auth, "claims", None)
    if isinstance(claims, dict):
        return claims
    raw = presented_token(auth, request)
    parts = unverified_parts(raw) if isinstance(raw, str) else None
    # DOT found the token by its checksum among those stored here: it is genuine.
    return parts[1] if parts is not None else {}


class HasClaim(BasePermission):
    """Allows a request whose access token carries ``claim`` with one of ``values``.

    A list claim (e.g. ``groups``) passes when it contains one of the values; any other
    claim when it equals one; with no values, when the claim is present. Use an instance
    directly in ``permission_classes`` (DRF calls it; it returns itself), also composed::

        permission_classes = [HasClaim("groups", "engineering") & TokenHasScope]
    """

    message = "The access token lacks a required claim value."

    def __init__(self, claim: str, *values: Any) -> None:
        self.claim = claim
        self.values = values

    def __call__(self) -> HasClaim:
        return self

    def has_permission(self, request: Any, view: Any) -> bool:
        claims = token_claims(request.auth, request)
        if self.claim not in claims:
            return False
        if not self.values:
            return True
        value = claims[self.claim]
        held = value if isinstance(value, list) else [value]
        return any(candidate in held for candidate in self.values)

    # DRF composes permission *classes* with & | ~; instances join in the same way.
    def __and__(self, other: Any) -> OperandHolder:
        return OperandHolder(AND, self, other)

    def __rand__(self, other: Any) -> OperandHolder:
        return OperandHolder(AND, other, self)

    def __or__(self, other: Any) -> OperandHolder:
        return OperandHolder(OR, self, other)

    def __ror__(self, other: Any) -> OperandHolder:
        return OperandHolder(OR, other, self)

    def __invert__(self) -> SingleOperandHolder:
        return SingleOperandHolder(NOT, self)

    def __repr__(self) -> str:
        return f"HasClaim({self.claim!r}{''.join(f', {v!r}' for v in self.values)})"
