"""RFC 7662 introspection that answers with the access token's claims, with per-app CORS.

DOT's ``IntrospectTokenView.get_token_response`` is a static method with a fixed payload,
and DOT's client protection lets public clients in and does not say who the caller is, so
both are done here: who may call in :mod:`oidc_claims.oauth.introspection_callers`, what the
caller may see in :mod:`oidc_claims.oauth.introspection_policy`.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import View
from oauth2_provider.compat import login_not_required
from oauth2_provider.settings import oauth2_settings
from oauth2_provider.views.mixins import OAuthLibMixin

from oidc_claims.engine.exceptions import TokenRefused
from oidc_claims.jose import unverified_access_token_claims
from oidc_claims.models.subjects import SUBJECT_RELATION
from oidc_claims.oauth.account_status import is_deactivated
from oidc_claims.oauth.cors import ApplicationCorsMixin
from oidc_claims.oauth.introspection_callers import CallerRefused, introspection_caller
from oidc_claims.oauth.introspection_policy import as_audience_list, caller_may_see
from oidc_claims.oauth.stored_tokens import find_access_token
from oidc_claims.oauth.views.malformed import RefuseMalformedMixin
from oidc_claims.tokens.builders import build_introspection
from oidc_claims.tokens.stored_tokens import (
    opaque_token_claims,
    stored_token_audience,
    stored_token_context,
)

INACTIVE = {"active": False}

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
    claims = unverified_access_token_claims(token_value)  # found by checksum: ours
    context = stored_token_context(token) if claims is None else None
    audience = claims.get("aud") if context is None else stored_token_audience(token, context)
    # Decided before an opaque token's claims are evaluated: no error about them either.
    if not caller_may_see(caller, token.application, as_audience_list(audience)):
        return JsonResponse(INACTIVE)
    if claims is None:
        try:
            claims = opaque_token_claims(token, oauth2_settings.oidc_issuer(request), context)
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
