"""DOT's ACCESS_TOKEN_GENERATOR: signed RFC 9068 JWT access tokens (or DOT's opaque ones).

Wire it with::

    OAUTH2_PROVIDER = {
        "ACCESS_TOKEN_GENERATOR": "oidc_claims.oauth.generators.generate_access_token",
        # oauthlib would otherwise mint refresh tokens with the access-token generator.
        "REFRESH_TOKEN_GENERATOR": "oauthlib.oauth2.rfc6749.tokens.random_token_generator",
    }
"""

from __future__ import annotations

import time
from typing import Any

from oauthlib.oauth2.rfc6749.tokens import random_token_generator

from oidc_claims.conf import claims_settings
from oidc_claims.engine.exceptions import TokenRefused
from oidc_claims.exceptions import SigningUnavailable
from oidc_claims.oauth.resource_indicators import checked_resources
from oidc_claims.tokens.builders import access_token_signature, sign_jwt
from oidc_claims.tokens.issuance import (
    access_token_payload,
    signing_unavailable_error,
    token_refused_error,
)


def generate_access_token(request: Any) -> str:
    """Return the access token for the oauthlib ``request``: a JWT, or random when opaque.

    Raises oauthlib's ``invalid_request`` when the token is refused (a groups claim over its
    limit, claims over ``TOKEN_MAX_BYTES``), and ``temporarily_unavailable`` when no key can
    sign it; DOT turns either into an error response before anything is saved.
    """
    if claims_settings.ACCESS_TOKEN_FORMAT == "opaque":
        return random_token_generator(request)
    checked_resources(request)  # raises invalid_target for a resource the client may not ask
    try:
        payload = access_token_payload(request, issued_at=int(time.time()))
    except TokenRefused as exc:
        raise token_refused_error(exc, request) from exc
    try:
        header, key = access_token_signature()
    except SigningUnavailable as exc:
        raise signing_unavailable_error(exc, request) from exc
    return sign_jwt(payload, header, key)
