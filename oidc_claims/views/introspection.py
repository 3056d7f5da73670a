"""RFC 7662 introspection that answers with the access token's claims, with per-app CORS.

DOT's ``IntrospectTokenView.get_token_response`` is a static method with a fixed payload,
and DOT's client protection lets public clients in and does not say who the caller is, so
both are done here: who may call in :mod:`oidc_claims.introspection_callers`, what the
caller may see in :mod:`oidc_claims.introspection_policy`.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import View
from jwcrypto import jws
from jwcrypto.common import JWException
from oauth2_provider.compat import login_not_required
from oauth2_provider.settings import oauth2_settings
from oauth2_provider.views.mixins import OAuthLibMixin

from ..account_status import is_deactivated
from ..auth_time import last_login_time, token_auth_time
from ..conf import claims_settings
from ..context import ClaimContext
from ..cors import ApplicationCorsMixin
from ..exceptions import TokenRefused
from ..introspection_callers import CallerRefused, introspection_caller
from ..introspection_policy import as_audience_list, caller_may_see
from ..stored_tokens import find_access_token
from ..subjects import SUBJECT_RELATION
from ..tokens import (
    ACCESS_TOKEN_TYP,
    access_token_audience,
    build_access_token_claims,
    build_introspection,
)
from .malformed import RefuseMalformedMixin

INACTIVE = {"active": False}

# DOT's Application.authorization_grant_type -> the OAuth grant name that expressions see.
_GRANT_NAMES = {
    "authorization-code": "authorization_code",
    "implicit": "implicit",
    "password": "password",
    "client-credentials": "client_credentials",
    "openid-hybrid": "hybrid",
}


def issued_jwt_claims(token_value: str) -> dict[str, Any] | None:
    """The payload of a JWT access token this server issued, or None for an opaque token.

    Called only for a token found by its checksum in the token table, so the payload is
    ours; its signature was made by us and need not be checked again.
    """
    if token_value.count(".") != 2:
        return None
    try:
        parsed = jws.JWS()
        parsed.deserialize(token_value)
        if parsed.jose_header.get("typ", "").lower() not in (
            ACCESS_TOKEN_TYP,
            f"application/{ACCESS_TOKEN_TYP}",
        ):
            return None
        return json.loads(parsed.objects["payload"])
    except (JWException, ValueError, KeyError):
        return None


def opaque_token_context(token: Any) -> ClaimContext:
    """The claim context of a stored opaque token.

    The grant is not stored with DOT's tokens: it is inferred (client credentials without a
    user, refresh when minted from a refresh token, else the application's grant type).
    """
    if token.user_id is None:
        grant_type = "client_credentials"
    elif token.source_refresh_token_id is not None:
        grant_type = "refresh_token"
    else:
        grant_type = _GRANT_NAMES.get(token.application.authorization_grant_type, "")
    return ClaimContext(
        user=token.user,
        application=token.application,
        scopes=token.scope.split(),
        grant_type=grant_type,
    )


def opaque_token_audience(token: Any, context: ClaimContext) -> str | list[str]:
    """The ``aud`` a stored opaque token stands for: its RFC 8707 resources, else the default
    audience of its application."""
    return token.resource or access_token_audience(context, claims_settings.ACCESS_TOKEN_AUDIENCE)


def opaque_token_claims(
    token: Any, request: HttpRequest, context: ClaimContext | None = None
) -> dict[str, Any]:
    """What a JWT access token would carry for a stored opaque token, evaluated now."""
    context = context or opaque_token_context(token)
    issued_at = int(token.created.timestamp())
    return build_access_token_claims(
        context,
        issuer=oauth2_settings.oidc_issuer(request),
        audience=opaque_token_audience(token, context),
        client_id=token.application.client_id,
        scope=token.scope,
        issued_at=issued_at,
        expires_in=int(token.expires.timestamp()) - issued_at,
        auth_time=token_auth_time(token) or last_login_time(token.user),
        jti="",
    )


def introspection_response(
    token_value: str | None, request: HttpRequest, caller: Any
) -> JsonResponse:
    """The RFC 7662 answer for ``token_value`` to the authenticated ``caller`` (an application):
    the token's claims when the introspection policy lets the caller see them, else inactive."""
    if token_value is None:
        return JsonResponse(
            {"error": "invalid_request", "error_description": "Token parameter is missing."},
            status=400,
        )
    token = find_access_token(
        token_value,
        "user",
        f"user__{SUBJECT_RELATION}",
        "application",
        # The profile comes with the application: opaque tokens' claims read it.
        "application__oidc_claims_profile",
        "oidc_claims_authentication",
    )
    if (
        token is None
        or not token.is_valid()
        or token.application is None
        or is_deactivated(token.user)
    ):
        return JsonResponse(INACTIVE)
    claims = issued_jwt_claims(token_value)
    context = opaque_token_context(token) if claims is None else None
    audience = claims.get("aud") if context is None else opaque_token_audience(token, context)
    # Decided before an opaque token's claims are evaluated: no error about them either.
    if not caller_may_see(caller, token.application, as_audience_list(audience)):
        return JsonResponse(INACTIVE)
    if claims is None:
        try:
            claims = opaque_token_claims(token, request, context)
        except TokenRefused as exc:
            return JsonResponse(
                {"error": "invalid_request", "error_description": str(exc)}, status=400
            )
    # The stored row is authoritative for what may change after issuance.
    claims["scope"] = token.scope
    claims["exp"] = int(token.expires.timestamp())
    username = token.user.get_username() if token.user is not None else None
    return JsonResponse(build_introspection(claims, username=username))


@method_decorator(csrf_exempt, name="dispatch")
@method_decorator(login_not_required, name="dispatch")
class ClaimsIntrospectTokenView(RefuseMalformedMixin, ApplicationCorsMixin, OAuthLibMixin, View):
    """Introspection (RFC 7662) for authenticated confidential clients and introspection-scoped
    bearer tokens, whose active responses carry the access token's claims."""

    cors_allow_methods = "GET, POST, OPTIONS"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.introspect(request, request.GET.get("token"))

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.introspect(request, request.POST.get("token"))

    def introspect(self, request: HttpRequest, token_value: str | None) -> HttpResponse:
        try:
            caller = introspection_caller(request, self.get_oauthlib_core())
        except CallerRefused as refused:
            return refused.refusal.response()
        return introspection_response(token_value, request, caller)
