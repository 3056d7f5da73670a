"""``JWTAccessTokenAuthentication``: DRF authentication by local validation of JWT access tokens.

Checks the signature against the JWKS, ``typ`` (``at+jwt``), ``iss``, ``aud``, ``exp`` and
``nbf`` without a database query. Revocation and deactivation are therefore NOT seen: a
revoked token, or one whose user was deactivated, is accepted until it expires. Keep access
tokens short-lived, or use DOT's ``OAuth2Authentication`` (a database lookup per request)
where revocation must take effect at once.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from jwcrypto import jwk, jws, jwt
from jwcrypto.common import JWException
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from oidc_claims.conf import claims_settings
from oidc_claims.contrib.rest_framework.keys import verification_key_set
from oidc_claims.jose import ACCESS_TOKEN_TYPES, ALGORITHMS, EDDSA, ES256, RS256

ACCEPTED_TYPES = ACCESS_TOKEN_TYPES
# The key type (and curve) each accepted algorithm verifies with: a token cannot make an
# RSA key verify an ECDSA signature, nor any public key an HMAC.
KEY_TYPES = {ES256: ("EC", "P-256"), EDDSA: ("OKP", "Ed25519"), RS256: ("RSA", None)}
logger = logging.getLogger("oidc_claims.resource_server")


class KeysUnavailable(exceptions.APIException):
    """503: the verification keys (a remote JWKS) cannot be loaded right now."""

    status_code = 503
    default_detail = "The keys to verify the access token cannot be loaded; try again later."
    default_code = "keys_unavailable"


@dataclass(frozen=True)
class AccessTokenClaims:
    """``request.auth``: a verified access token and its claims.

    ``scope``, ``is_valid`` and ``allow_scopes`` follow DOT's AccessToken, so that DOT's
    ``TokenHasScope`` permissions work with local validation too.
    """

    token: str
    claims: dict[str, Any] = field(repr=False)

    @property
    def scope(self) -> str:
        return str(self.claims.get("scope", ""))

    @property
    def scopes(self) -> frozenset[str]:
        return frozenset(self.scope.split())

    def is_expired(self) -> bool:
        return time.time() >= float(self.claims.get("exp", 0))

    def allow_scopes(self, scopes: Any) -> bool:
        return set(scopes or ()).issubset(self.scopes)

    def is_valid(self, scopes: Any = None) -> bool:
        return not self.is_expired() and self.allow_scopes(scopes)


class TokenUser:
    """``request.user`` for a verified token, built from its claims (no database query).

    ``pk``/``id`` is the ``sub`` claim: the user's public subject identifier for user tokens
    (not the identity provider's primary key), the client id for client-credentials tokens
    (``is_client``).
    """

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False

    def __init__(self, claims: dict[str, Any]) -> None:
        self.claims = claims
        self.pk = self.id = str(claims.get("sub", ""))
        self.client_id = claims.get("client_id")
        self.is_client = "auth_time" not in claims and self.pk == self.client_id

    def get_username(self) -> str:
        return str(self.claims.get("preferred_username") or self.pk)

    def __str__(self) -> str:
        return self.get_username()


def expected_issuer(request: Any) -> str:
    """RESOURCE_SERVER_ISSUER, else DOT's issuer for this site."""
    if claims_settings.RESOURCE_SERVER_ISSUER:
        return claims_settings.RESOURCE_SERVER_ISSUER
    # Imported here: only the provider itself, which installs DOT, may leave the issuer out;
    # a separate API service sets RESOURCE_SERVER_ISSUER and needs no DOT.
    from oauth2_provider.settings import oauth2_settings

    # DRF wraps the HttpRequest that DOT expects.
    return oauth2_settings.oidc_issuer(getattr(request, "_request", request))


def accepted_algorithms() -> tuple[str, ...]:
    """RESOURCE_SERVER_ALGORITHMS, less anything but ES256, EdDSA and RS256 (never ``none``,
    never HS*: a resource server holds no shared secret, check oidc_claims.E019)."""
    configured = claims_settings.RESOURCE_SERVER_ALGORITHMS
    configured = (configured,) if isinstance(configured, str) else tuple(configured or ())
    return tuple(algorithm for algorithm in configured if algorithm in ALGORITHMS)


def key_for(keys: jwk.JWKSet, kid: str | None, algorithm: str) -> jwk.JWK | None:
    """The key of ``keys`` that may verify an ``algorithm`` token naming ``kid``: the one with
    that kid (or, without a kid, the only key of that algorithm), of the algorithm's key type,
    and whose ``alg``, when published, is ``algorithm``."""
    candidates = [
        key
        for key in keys["keys"]
        if (kid is None or key.get("kid") == kid) and key.get("alg", algorithm) == algorithm
    ]
    kty, curve = KEY_TYPES[algorithm]
    candidates = [
        key
        for key in candidates
        if key.get("kty") == kty and (curve is None or key.get("crv") == curve)
    ]
    return candidates[0] if len(candidates) == 1 else None


def accepted_audiences() -> set[str]:
    """RESOURCE_SERVER_AUDIENCE as a set; empty when unset (then every token is refused)."""
    configured = claims_settings.RESOURCE_SERVER_AUDIENCE
    if not configured:
        return set()
    return {configured} if isinstance(configured, str) else set(configured)


class JWTAccessTokenAuthentication(BaseAuthentication):
    """Authenticates ``Authorization: Bearer <JWT access token>`` locally (see module doc).

    A bearer token that is not a JWT is left to the next authentication class.
    """

    www_authenticate_realm = "api"

    def authenticate(self, request: Any) -> tuple[TokenUser, AccessTokenClaims] | None:
        scheme, _, token = get_authorization_header(request).decode("latin-1").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or token.count(".") != 2:
            return None
        claims = self.verify(token, request)
        return TokenUser(claims), AccessTokenClaims(token=token, claims=claims)

    def verify(self, token: str, request: Any) -> dict[str, Any]:
        """Return the claims of ``token``; raise AuthenticationFailed saying what is wrong."""
        audiences = accepted_audiences()
        if not audiences:
            # Fail closed: without its own audience this API would take any token of the
            # issuer, including those issued for other APIs (check oidc_claims.E011).
            logger.error(
                "JWTAccessTokenAuthentication refuses every token: "
                "OIDC_CLAIMS['RESOURCE_SERVER_AUDIENCE'] is not set."
            )
            raise exceptions.AuthenticationFailed("The access token is not meant for this API.")
        header = self._header(token)
        if str(header.get("typ", "")).lower() not in ACCEPTED_TYPES:
            raise exceptions.AuthenticationFailed("The token is not a JWT access token (typ).")
        algorithm = header.get("alg")
        if not isinstance(algorithm, str) or algorithm not in accepted_algorithms():
            raise exceptions.AuthenticationFailed(
                "The access token's signature algorithm is not accepted."
            )
        kid = header.get("kid")
        if kid is not None and not isinstance(kid, str):
            raise exceptions.AuthenticationFailed("The access token is malformed.")
        try:
            keys = verification_key_set(kid=kid)
        except (OSError, ValueError, JWException) as exc:
            # The JWKS could not be fetched or read: the token may well be valid.
            logger.warning("Cannot load the JWKS to verify access tokens: %s", exc)
            raise KeysUnavailable() from None
        key = key_for(keys, kid, algorithm)
        if key is None:
            raise exceptions.AuthenticationFailed("The access token's signing key is unknown.")
        leeway = claims_settings.RESOURCE_SERVER_LEEWAY_SECONDS
        verifier = jwt.JWT(algs=[algorithm], check_claims={"exp": None})
        verifier.leeway = leeway
        try:
            verifier.deserialize(token, key)
            claims = json.loads(verifier.claims)
        except jwt.JWTExpired:
            raise exceptions.AuthenticationFailed("The access token has expired.") from None
        except (JWException, ValueError, TypeError):
            raise exceptions.AuthenticationFailed("The access token is invalid.") from None
        # jwcrypto checks nbf only when no check_claims are given; exp is required above.
        if "nbf" in claims and claims["nbf"] > time.time() + leeway:
            raise exceptions.AuthenticationFailed("The access token is not valid yet (nbf).")
        if claims.get("iss") != expected_issuer(request):
            raise exceptions.AuthenticationFailed("The access token has another issuer.")
        token_audiences = claims.get("aud")
        token_audiences = (
            {token_audiences} if isinstance(token_audiences, str) else set(token_audiences or ())
        )
        if not audiences & token_audiences:
            raise exceptions.AuthenticationFailed("The access token is not meant for this API.")
        return claims

    @staticmethod
    def _header(token: str) -> dict[str, Any]:
        try:
            unverified = jws.JWS()
            unverified.deserialize(token)
            return dict(unverified.jose_header)
        except (JWException, ValueError, TypeError):
            raise exceptions.AuthenticationFailed("The access token is malformed.") from None

    def authenticate_header(self, request: Any) -> str:
        return f'Bearer realm="{self.www_authenticate_realm}"'
