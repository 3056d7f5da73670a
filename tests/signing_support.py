"""Helpers for signing-key tests: keys that sign at once, and verification by two JWT libraries."""

from __future__ import annotations

import warnings
from typing import Any

import jwt as pyjwt
from joserfc import jwt as joserfc_jwt
from joserfc.jwk import KeySet

ALGORITHMS = ("ES256", "EdDSA", "RS256")


def active_key(algorithm: str) -> Any:
    """A database key of ``algorithm`` that signs now (the first key of its algorithm)."""
    from oidc_claims.models.key_rotation import create_key

    return create_key(algorithm, activate=True)


def verify_with_pyjwt(token: str, jwks: dict[str, Any], **options: Any) -> dict[str, Any]:
    """``token``'s claims, verified by PyJWT with the JWKS key its ``kid`` names."""
    header = pyjwt.get_unverified_header(token)
    key = pyjwt.PyJWKSet.from_dict(jwks)[header["kid"]]
    return pyjwt.decode(
        token,
        key.key,
        algorithms=[header["alg"]],
        options={"verify_aud": False, **options},
    )


def verify_with_joserfc(token: str, jwks: dict[str, Any]) -> dict[str, Any]:
    """``token``'s claims, verified by joserfc (Authlib's JOSE library) against the JWKS."""
    with warnings.catch_warnings():
        # joserfc 1.8 flags "EdDSA" as superseded by "Ed25519" (RFC 9864); still valid.
        warnings.filterwarnings("ignore", message="EdDSA is deprecated")
        decoded = joserfc_jwt.decode(
            token, KeySet.import_key_set(jwks), algorithms=list(ALGORITHMS)
        )
    joserfc_jwt.JWTClaimsRegistry(exp={"essential": True}).validate(decoded.claims)
    return dict(decoded.claims)


def verify_twice(token: str, jwks: dict[str, Any]) -> dict[str, Any]:
    """``token``'s claims, after PyJWT and joserfc both verified it and agree on them."""
    claims = verify_with_pyjwt(token, jwks)
    assert verify_with_joserfc(token, jwks) == claims
    return claims
