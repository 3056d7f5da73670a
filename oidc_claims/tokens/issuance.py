"""The claim context of one oauthlib token request, and the protocol data issuance reads from it.

One :class:`~oidc_claims.engine.context.ClaimContext` serves every token of a request (ID token,
access token) because it memoises evaluation; it is kept on the oauthlib ``Request``
object, never on the validator, which DOT shares between requests.
"""

from __future__ import annotations

import logging
from typing import Any

from oauthlib.oauth2.rfc6749 import errors

from oidc_claims.claims_parameter import requested_claims_of
from oidc_claims.conf import claims_settings
from oidc_claims.engine.context import ClaimContext
from oidc_claims.engine.exceptions import TokenRefused
from oidc_claims.exceptions import SigningUnavailable
from oidc_claims.tokens.audiences import aud_claim
from oidc_claims.tokens.auth_time import request_auth_time
from oidc_claims.tokens.builders import access_token_audience, build_access_token_claims

_CONTEXT_ATTRIBUTE = "_oidc_claims_context"
# Where Django logs the requests it could not serve (mailed to ADMINS by default).
request_logger = logging.getLogger("django.request")


def grant_type_of(request: Any) -> str | None:
    """The grant that issues tokens in ``request``, as ``access.grantType`` names it.

    The token endpoint names it (``authorization_code``, ``refresh_token``...); tokens
    issued at the authorization endpoint come from the implicit or hybrid flow.
    """
    if request.grant_type:
        return request.grant_type
    response_types = (request.response_type or "").split()
    if not response_types:
        # Userinfo and introspection present a token; no grant happens in them, and DOT
        # does not record which grant issued the token.
        return None
    return "hybrid" if "code" in response_types else "implicit"


def user_of(request: Any) -> Any:
    """The resource owner of ``request``; none for client credentials (whatever DOT set)."""
    if request.grant_type == "client_credentials":
        return None
    user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


def issues_access_token(request: Any) -> bool:
    """Whether ``request`` gives the client an access token: all but ``response_type=id_token``."""
    if request.grant_type:
        return True
    return (request.response_type or "").split() != ["id_token"]


def claim_context(request: Any) -> ClaimContext:
    """The request's claim context, built on first use and memoised on the request."""
    context = getattr(request, _CONTEXT_ATTRIBUTE, None)
    if context is None:
        context = ClaimContext(
            user=user_of(request),
            application=request.client,
            scopes=list(request.scopes or []),
            grant_type=grant_type_of(request),
            requested_claims=requested_claims_of(getattr(request, "claims", None)),
            issues_access_token=issues_access_token(request),
        )
        setattr(request, _CONTEXT_ATTRIBUTE, context)
    return context


def token_refused_error(exc: TokenRefused, request: Any = None) -> errors.OAuth2Error:
    """The OAuth error response for a token that cannot be issued as configured (a groups
    claim over its limit, a token over ``TOKEN_MAX_BYTES``).

    ``invalid_request`` (HTTP 400) is the only error code that RFC 6749 (sections 4.1.2.1
    and 5.2), RFC 6750 section 3.1 and RFC 7662 all define for a request that cannot be
    served as made; its description names the cause and what to change.
    """
    return errors.InvalidRequestError(description=str(exc), request=request)


class SigningUnavailableError(errors.TemporarilyUnavailableError):
    """``temporarily_unavailable``: the token endpoint answers it with HTTP 503 (RFC 9110
    15.6.4), the authorization endpoint as a redirect (RFC 6749 section 4.1.2.1)."""

    status_code = 503
    description = "The provider cannot sign tokens at the moment; try again later."


def signing_unavailable_error(exc: SigningUnavailable, request: Any = None) -> errors.OAuth2Error:
    """The OAuth error for a token that no usable key can sign now; the cause (which algorithm,
    which command fixes it) is logged for the administrators and not told to the client."""
    request_logger.error("Service Unavailable: %s: %s", getattr(request, "uri", ""), exc)
    return SigningUnavailableError(request=request)


def access_token_payload(request: Any, *, issued_at: int, jti: str | None = None) -> dict[str, Any]:
    """The JWT access-token payload for the oauthlib ``request``.

    The one place that turns a token request into builder arguments: the access-token
    generator and the token preview both call it. Raises TokenRefused.
    """
    from oauth2_provider.settings import oauth2_settings


    context = claim_context(request)
    # RFC 8707: the resources requested (checked by the generator first), else the default.
    resources = getattr(request, "resource", None)
    return build_access_token_claims(
        context,
        issuer=oauth2_settings.oidc_issuer(request),
        audience=aud_claim(resources)
        if isinstance(resources, list) and resources
        else access_token_audience(context, claims_settings.ACCESS_TOKEN_AUDIENCE),
        client_id=request.client.client_id,
        scope=" ".join(request.scopes or []),
        issued_at=issued_at,
        # oauthlib sets expires_in on the request before calling the generator.
        expires_in=int(
            getattr(request, "expires_in", None) or oauth2_settings.ACCESS_TOKEN_EXPIRE_SECONDS
        ),
        auth_time=request_auth_time(request, context.user),
        jti=jti,
    )
