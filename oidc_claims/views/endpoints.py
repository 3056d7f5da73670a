"""DOT's token, revocation and userinfo endpoints with per-application CORS."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.compat import login_not_required
from oauth2_provider.views import RevokeTokenView, TokenView, UserInfoView

from ..cors import ApplicationCorsMixin
from .malformed import RefuseMalformedMixin


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
        return label_json_errors(super().post(request, *args, **kwargs))


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
