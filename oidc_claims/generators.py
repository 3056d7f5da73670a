"""DOT's ACCESS_TOKEN_GENERATOR: signed RFC 9068 JWT access tokens (or DOT's opaque ones).

Wire it with::

    OAUTH2_PROVIDER = {
        "ACCESS_TOKEN_GENERATOR": "oidc_claims.generators.generate_access_token",
        # oauthlib would otherwise mint refresh tokens with the access-token generator.
        "REFRESH_TOKEN_GENERATOR": "oauthlib.oauth2.rfc6749.tokens.random_token_generator",
    }
"""

from __future__ import annotations

import time
from typing import Any

from oauth2_provider.settings import oauth2_settings
from oauthlib.oauth2.rfc6749.tokens import random_token_generator

from .conf import claims_settings
from .exceptions import GroupLimitExceeded
from .issuance import auth_time_of, claim_context, group_limit_error
from .tokens import access_token_audience, access_token_header, build_access_token_claims, sign_jwt


def generate_access_token(request: Any) -> str:
    """Return the access token for the oauthlib ``request``: a JWT, or random when opaque.

    Raises oauthlib's ``invalid_request`` when a groups claim exceeds its limit; DOT turns
    it into an error response before anything is saved.
    """
    if claims_settings.ACCESS_TOKEN_FORMAT == "opaque":
        return random_token_generator(request)
    context = claim_context(request)
    try:
        payload = build_access_token_claims(
            context,
            issuer=oauth2_settings.oidc_issuer(request),
            audience=access_token_audience(context, claims_settings.ACCESS_TOKEN_AUDIENCE),
            client_id=request.client.client_id,
            scope=" ".join(request.scopes or []),
            issued_at=int(time.time()),
            # oauthlib sets expires_in on the request before calling the generator.
            expires_in=int(request.expires_in or oauth2_settings.ACCESS_TOKEN_EXPIRE_SECONDS),
            auth_time=auth_time_of(context.user),
        )
    except GroupLimitExceeded as exc:
        raise group_limit_error(exc, request) from exc
    return sign_jwt(payload, access_token_header())
