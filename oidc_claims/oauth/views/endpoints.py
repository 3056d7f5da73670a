"""DOT's token, revocation and userinfo endpoints with per-application CORS."""

from __future__ import annotations

import json
from typing import Any

from django.db import IntegrityError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from oauth2_provider.compat import login_not_required
from oauth2_provider.models import get_access_token_model
from oauth2_provider.signals import app_authorized
from oauth2_provider.views import RevokeTokenView, TokenView, UserInfoView

from oidc_claims.oauth.authorization_codes import revoke_tokens_of_code
from oidc_claims.oauth.cors import ApplicationCorsMixin
from oidc_claims.oauth.stored_tokens import find_access_token, token_checksum
from oidc_claims.oauth.views.malformed import RefuseMalformedMixin


def label_json_errors(response: HttpResponse) -> HttpResponse:
    """Give an OAuth error body its JSON media type (RFC 6749 section 5.2).

    oauthlib errors raised while tokens are created (a groups claim over its limit) reach
    DOT's views without headers, and Django would label the JSON body text/html.
    """
    if (
        response.status_code >= 400
        and response.content.startswith(b"{")
        and response.get("Content-Type", "").startswith("text/html")
    ):
        response["Content-Type"] = "application/json"
        response["Cache-Control"] = "no-store"
    return response


# The decorators DOT puts on dispatch() are repeated: as_view() copies them from the
# dispatch() of the class itself, which the CORS mixin replaces.


@method_decorator(csrf_exempt, name="dispatch")
@method_decorator(login_not_required, name="dispatch")
class CorsTokenView(RefuseMalformedMixin, ApplicationCorsMixin, TokenView):
    """The token endpoint; CORS for the origins of the authenticating client."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return label_json_errors(super().post(request, *args, **kwargs))
        except (IntegrityError, OperationalError):
            # A concurrent use of the same code or refresh token deleted, between this
            # request's checks and its writes, a row those writes refer to, or deadlocked
            # with them (a replay revokes the other exchange's tokens). The grant was used
            # twice: invalid_grant, and whatever this request issued from the code is revoked.
            grant_type = request.POST.get("grant_type")
            if grant_type not in ("authorization_code", "refresh_token"):
                raise
            if grant_type == "authorization_code":
                revoke_tokens_of_code(request.POST.get("code"))
            return concurrent_use_refused()

    @method_decorator(sensitive_post_parameters("password", "client_secret"))
    def authorization_flow_token_response(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        # DOT's, except for its re-read of the new access token, which only the app_authorized
        # signal uses: made when something listens to the signal, and then through the
        # prepared look-up instead of an ORM query built for every token.
        url, headers, body, status = self.create_token_response(request)
        if status == 200 and app_authorized.has_listeners(self):
            access_token = json.loads(body).get("access_token")
            if access_token is not None:
                token = find_access_token(access_token)
                if token is None:  # gone meanwhile: DOT's own error
                    token = get_access_token_model().objects.get(
                        token_checksum=token_checksum(access_token)
                    )
                app_authorized.send(sender=self, request=request, token=token)
        response = HttpResponse(content=body, status=status)
        for name, value in headers.items():
            response[name] = value
        return response


def concurrent_use_refused() -> HttpResponse:
    """The token endpoint's answer to a grant used by two requests at once (RFC 6749 5.2)."""
    body = {
        "error": "invalid_grant",
        "error_description": "The grant was used by another request at the same time.",
    }
    response = HttpResponse(json.dumps(body), status=400, content_type="application/json")
    response["Cache-Control"] = "no-store"
    response["Pragma"] = "no-cache"
    return response


@method_decorator(csrf_exempt, name="dispatch")
@method_decorator(login_not_required, name="dispatch")
class CorsRevokeTokenView(RefuseMalformedMixin, ApplicationCorsMixin, RevokeTokenView):
    """The revocation endpoint (RFC 7009); CORS for the origins of the authenticating client."""


@method_decorator(csrf_exempt, name="dispatch")
@method_decorator(login_not_required, name="dispatch")
class CorsUserInfoView(RefuseMalformedMixin, ApplicationCorsMixin, UserInfoView):
    """The userinfo endpoint (GET and POST); CORS for the origins of the token's application."""

    cors_allow_methods = "GET, POST, OPTIONS"
    # Lets a browser client read why its token was refused (RFC 6750 section 3).
    cors_expose_headers = "WWW-Authenticate"

    def _create_userinfo_response(self, request: HttpRequest) -> HttpResponse:
        return label_json_errors(super()._create_userinfo_response(request))
