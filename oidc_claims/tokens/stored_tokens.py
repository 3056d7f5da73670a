"""The builder inputs of a stored access token: what an opaque token stands for, evaluated now.

Introspection answers with them, and the token preview shows what introspection would answer
for a token it did not store. An oauthlib request's inputs come from
:mod:`oidc_claims.tokens.issuance`; a stored token's from here.
"""

from __future__ import annotations

from typing import Any

from oidc_claims.conf import claims_settings
from oidc_claims.engine.context import ClaimContext
from oidc_claims.tokens.auth_time import last_login_time, token_auth_time
from oidc_claims.tokens.builders import access_token_audience, build_access_token_claims

# DOT's Application.authorization_grant_type -> the OAuth grant name that expressions see.
_GRANT_NAMES = {
    "authorization-code": "authorization_code",
    "implicit": "implicit",
    "password": "password",
    "client-credentials": "client_credentials",
    "openid-hybrid": "hybrid",
}


def stored_token_grant(token: Any) -> str:
    """The grant that issued a stored token. DOT does not store it: client credentials
    without a user, refresh when minted from a refresh token, else the application's grant."""
    if token.user_id is None:
        return "client_credentials"
    if token.source_refresh_token_id is not None:
        return "refresh_token"
    return _GRANT_NAMES.get(token.application.authorization_grant_type, "")


def stored_token_context(token: Any, grant_type: str | None = None) -> ClaimContext:
    """The claim context of a stored token (``grant_type``: when the caller knows it)."""
    return ClaimContext(
        user=token.user,
        application=token.application,
        scopes=token.scope.split(),
        grant_type=grant_type or stored_token_grant(token),
    )


def stored_token_audience(token: Any, context: ClaimContext) -> str | list[str]:
    """The ``aud`` a stored token stands for: its RFC 8707 resources, else the default
    audience of its application."""
    return token.resource or access_token_audience(context, claims_settings.ACCESS_TOKEN_AUDIENCE)


def opaque_token_claims(
    token: Any, issuer: str, context: ClaimContext | None = None
) -> dict[str, Any]:
    """What a JWT access token would carry for a stored opaque token, evaluated now."""
    context = context or stored_token_context(token)
    issued_at = int(token.created.timestamp())
    return build_access_token_claims(
        context,
        issuer=issuer,
        audience=stored_token_audience(token, context),
        client_id=token.application.client_id,
        scope=token.scope,
        issued_at=issued_at,
        expires_in=int(token.expires.timestamp()) - issued_at,
        auth_time=token_auth_time(token) or last_login_time(token.user),
        jti="",
    )
