"""Pages of the demo IdP that are not part of the protocol: a home page and a callback."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from oauth2_provider.settings import oauth2_settings
from oauth2_provider.views.generic import ScopedProtectedResourceView

from oidc_claims.oauth.resource_views import AudienceRequiredMixin
from oidc_claims.tokens.audiences import on_issuer_origin


def home(request):
    return render(
        request,
        "example_project/home.html",
        {
            "discovery_url": request.build_absolute_uri(
                reverse("oauth2_provider:oidc-connect-discovery-info")
            )
        },
    )


def demo_callback(request):
    """Where the demo clients are sent back: shows what the authorization response carried."""
    params = sorted(request.GET.items())
    return render(
        request,
        "example_project/callback.html",
        {
            "params": params,
            "code": request.GET.get("code", ""),
            "token_url": request.build_absolute_uri(reverse("oauth2_provider:token")),
            "redirect_uri": request.build_absolute_uri(reverse("demo-callback")),
            "code_lifetime": oauth2_settings.AUTHORIZATION_CODE_EXPIRE_SECONDS,
        },
    )


def demo_api_audience(request) -> str:
    """The demo API's audience: DEMO_API_AUDIENCE, else its URL on the issuer's origin."""
    return settings.DEMO_API_AUDIENCE or on_issuer_origin(
        reverse("api-hello"), oauth2_settings.oidc_issuer(request)
    )


class ApiHelloView(AudienceRequiredMixin, ScopedProtectedResourceView):
    """A demo resource protected by DOT with the `api.read` scope (JWT or opaque tokens),
    for tokens requested for it (`resource=<its audience>`)."""

    required_scopes = ["api.read"]

    def get_required_audience(self, request) -> str:
        return demo_api_audience(request)

    def get(self, request, *args, **kwargs):
        owner = request.resource_owner
        return JsonResponse({"hello": owner.get_username() if owner else None})
