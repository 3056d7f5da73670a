"""DOT's token, revocation and userinfo endpoints with per-application CORS."""

from __future__ import annotations

from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.compat import login_not_required
from oauth2_provider.views import RevokeTokenView, TokenView, UserInfoView

from ..cors import ApplicationCorsMixin

# The decorators DOT puts on dispatch() are repeated: as_view() copies them from the
# dispatch() of the class itself, which the CORS mixin replaces.


@method_decorator(csrf_exempt, name="dispatch")
@method_decorator(login_not_required, name="dispatch")
class CorsTokenView(ApplicationCorsMixin, TokenView):
    """The token endpoint; CORS for the origins of the authenticating client."""


@method_decorator(csrf_exempt, name="dispatch")
@method_decorator(login_not_required, name="dispatch")
class CorsRevokeTokenView(ApplicationCorsMixin, RevokeTokenView):
    """The revocation endpoint (RFC 7009); CORS for the origins of the authenticating client."""


@method_decorator(csrf_exempt, name="dispatch")
@method_decorator(login_not_required, name="dispatch")
class CorsUserInfoView(ApplicationCorsMixin, UserInfoView):
    """The userinfo endpoint (GET and POST); CORS for the origins of the token's application."""

    cors_allow_methods = "GET, POST, OPTIONS"
    # Lets a browser client read why its token was refused (RFC 6750 section 3).
    cors_expose_headers = "WWW-Authenticate"
