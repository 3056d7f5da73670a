"""Token payload builders (ID token, RFC 9068 access token, userinfo, introspection) and signing.

The builders are pure functions of a :class:`~oidc_claims.engine.context.ClaimContext` and the
protocol data of one request (issuer, client, times, nonce...). Real issuance (the
validator and the access-token generator) and the admin's token preview call the same
builders, so what the preview shows is what clients receive; only :func:`sign_jwt` is
left out of the preview.

Precedence inside every payload: DOT's standard claims < configured claims < registered
claims. Configured claims cannot override registered ones: the models refuse those names,
and the builders write the registered claims last.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Mapping
from typing import Any

from jwcrypto import jwk

from oidc_claims.conf import claims_settings
from oidc_claims.engine.resolve import Destination, resolve
from oidc_claims.engine.size_limits import check_token_size
from oidc_claims.jose import ACCESS_TOKEN_TYP, compact_json  # typ: RFC 9068 section 2.1, short form
from oidc_claims.models.key_store import signing_key_for
from oidc_claims.models.subjects import subject_of  # the one function that decides a user's ``sub``
from oidc_claims.tokens.audiences import aud_claim, default_audiences
from oidc_claims.tokens.id_token_signing import id_token_signature
from oidc_claims.tokens.jws_signing import sign_compact


def configured_claims(context: Any, destination: Destination) -> dict[str, Any]:
    """The engine's claims for ``destination``; raises GroupLimitExceeded over a limit
    (TokenTooLarge is raised by the builders, once the whole payload is known)."""
    resolution = resolve(context, destination, trace=False)
    resolution.raise_for_group_limits()
    return dict(resolution.claims)


def build_id_token_claims(
    context: Any,
    *,
    issuer: str,
    client_id: str,
    issued_at: int,
    expires_in: int,
    auth_time: int | None,
    nonce: str | None = None,
    at_hash: str | None = None,
    c_hash: str | None = None,
    standard_claims: Mapping[str, Any] | None = None,
    jti: str | None = None,
) -> dict[str, Any]:
    """The full ID-token payload: standard claims, configured ID-token claims, registered claims.
    Raises TokenRefused (a groups claim over its limit, a payload over TOKEN_MAX_BYTES).

    ``standard_claims`` are DOT's scope-filtered standard claims (``get_oidc_claims``).
    ``issued_at`` and ``auth_time`` are seconds since the epoch; ``expires_in`` seconds.
    """
    payload: dict[str, Any] = dict(standard_claims or {})
    payload.update(configured_claims(context, Destination.ID_TOKEN))
    payload.update(
        {
            "iss": issuer,
            "sub": subject_of(context.user),
            "aud": client_id,
            "iat": issued_at,
            "exp": issued_at + expires_in,
            "jti": jti or str(uuid.uuid4()),
        }
    )
    if auth_time is not None:
        payload["auth_time"] = auth_time
    for name, value in (("nonce", nonce), ("at_hash", at_hash), ("c_hash", c_hash)):
        if value:
            payload[name] = value
    check_token_size("ID token", payload)
    return payload


def build_access_token_claims(
    context: Any,
    *,
    issuer: str,
    audience: str | list[str],
    client_id: str,
    scope: str,
    issued_at: int,
    expires_in: int,
    auth_time: int | None,
    jti: str | None = None,
) -> dict[str, Any]:
    """The full RFC 9068 access-token payload.

    ``sub`` is the user (as in ID tokens) or, without a user (client credentials), the
    client id (RFC 9068 section 2.2). ``jti=""`` omits ``jti`` (opaque tokens at
    introspection have none).
    """
    payload: dict[str, Any] = configured_claims(context, Destination.ACCESS_TOKEN)
    payload.update(
        {
            "iss": issuer,
            "sub": subject_of(context.user) if context.user is not None else client_id,
            "aud": audience,
            "client_id": client_id,
            "scope": scope,
            "iat": issued_at,
            "exp": issued_at + expires_in,
        }
    )
    if jti != "":
        payload["jti"] = jti or uuid.uuid4().hex
    if context.user is not None and auth_time is not None:
        payload["auth_time"] = auth_time
    check_token_size("access token", payload)
    return payload


def build_userinfo(
    context: Any, *, standard_claims: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The userinfo response: ``sub``, DOT's standard claims, configured userinfo claims."""
    payload: dict[str, Any] = dict(standard_claims or {})
    payload.update(configured_claims(context, Destination.USERINFO))
    payload["sub"] = subject_of(context.user)
    check_token_size("userinfo response", payload)
    return payload


def build_introspection(
    access_token_claims: Mapping[str, Any], *, username: str | None
) -> dict[str, Any]:
    """An RFC 7662 response for an active token: what the access token carries, plus
    ``active`` and ``username``."""
    payload: dict[str, Any] = dict(access_token_claims)
    payload["active"] = True
    if username:
        payload["username"] = username
    return payload


def access_token_audience(context: Any, default: str | None) -> str | list[str]:
    """``aud`` of the context application's access tokens issued without a ``resource``: its
    profile's audiences, else ``default``, else its client id. The profile comes from the
    context, which loads it at most once."""
    return aud_claim(default_audiences(context.application, context.app_profile(), default))


def signing_key() -> jwk.JWK:
    """DOT's RS256 key (``OAUTH2_PROVIDER['OIDC_RSA_PRIVATE_KEY']``), parsed once per process."""
    from oauth2_provider.settings import oauth2_settings
    from oauth2_provider.utils import jwk_from_pem

    return jwk_from_pem(oauth2_settings.OIDC_RSA_PRIVATE_KEY)


def key_id(key: jwk.JWK | None = None) -> str:
    """The ``kid`` that DOT's JWKS endpoint publishes for ``key``: its RFC 7638 thumbprint."""
    if key is None or key is signing_key():
        from oauth2_provider.settings import oauth2_settings

        return _pem_thumbprint(oauth2_settings.OIDC_RSA_PRIVATE_KEY)
    return key.thumbprint()


@functools.lru_cache(maxsize=8)
def _pem_thumbprint(pem: str) -> str:
    # Every token names DOT's key: its thumbprint is a function of the PEM, kept per PEM
    # like DOT's parsed key (jwk_from_pem), so a changed setting is simply another entry.
    from oauth2_provider.utils import jwk_from_pem

    return jwk_from_pem(pem).thumbprint()


def id_token_header(application: Any) -> dict[str, str]:
    """The JOSE header of ``application``'s ID tokens; ImproperlyConfigured if it cannot sign.

    ES256, EdDSA and RS256 ID tokens name the provider's active key of their algorithm
    (``kid``, published in the JWKS); HS256 ones are signed with the client secret, as in DOT.
    """
    return id_token_signature(application)[0]


def access_token_signature() -> tuple[dict[str, str], jwk.JWK]:
    """The JOSE header of JWT access tokens (``ACCESS_TOKEN_SIGNING_ALG``) and the key that
    signs them, read together so the header names the key that signs."""
    algorithm = claims_settings.ACCESS_TOKEN_SIGNING_ALG
    kid, key = signing_key_for(algorithm)
    return {"typ": ACCESS_TOKEN_TYP, "alg": algorithm, "kid": kid}, key


def access_token_header() -> dict[str, str]:
    """The JOSE header of JWT access tokens."""
    return access_token_signature()[0]


def sign_jwt(
    payload: Mapping[str, Any], header: Mapping[str, Any], key: jwk.JWK | None = None
) -> str:
    """Sign ``payload`` as a compact JWS with ``key`` (default: the active key of the
    header's ``alg``).

    Strict JSON: a value that is not JSON raises instead of silently becoming a string.
    """
    if "alg" not in header:
        raise ValueError('"alg" not specified')
    if "b64" in header or "crit" in header:
        raise ValueError("JWTs cannot use the b64 or crit headers")
    return sign_compact(
        header["alg"],
        key or signing_key_for(header["alg"])[1],
        compact_json(dict(header)),
        compact_json(dict(payload)).encode("utf-8"),
    )
