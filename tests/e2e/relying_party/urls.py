"""The relying party's pages: mozilla-django-oidc's, a signed-in page, a way to age the session."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.urls import include, path


@login_required
def whoami(request):
    """Who is signed in, and what the IdP's userinfo endpoint said about them."""
    return JsonResponse(
        {
            "username": request.user.get_username(),
            "email": request.user.email,
            "first_name": request.user.first_name,
            "last_name": request.user.last_name,
            "userinfo": request.session.get("userinfo"),
            "userinfo_calls": request.session.get("userinfo_calls", 0),
            "id_token_expiration": request.session.get("oidc_id_token_expiration"),
        }
    )


def expire(request):
    """Let the ID token's renewal time pass (instead of waiting an hour)."""
    request.session["oidc_id_token_expiration"] = 0
    return JsonResponse({"expired": True})


urlpatterns = [
    path("", whoami),
    path("expire/", expire),
    path("oidc/", include("mozilla_django_oidc.urls")),
]
