"""URLs of an OpenID Provider with configured claims: DOT's, with oidc_claims' endpoints first.

Include it in place of DOT's urls, under DOT's namespace::

    path("o/", include("oidc_claims.urls", namespace="oauth2_provider")),
"""

from django.urls import path, re_path
from oauth2_provider import urls as dot_urls

from . import views

app_name = "oauth2_provider"

urlpatterns = [
    path("authorize/", views.ClaimsAuthorizationView.as_view(), name="authorize"),
    path("token/", views.CorsTokenView.as_view(), name="token"),
    path("revoke_token/", views.CorsRevokeTokenView.as_view(), name="revoke-token"),
    path("introspect/", views.ClaimsIntrospectTokenView.as_view(), name="introspect"),
    path("userinfo/", views.CorsUserInfoView.as_view(), name="user-info"),
    re_path(
        r"^\.well-known/openid-configuration/?$",
        views.ClaimsDiscoveryInfoView.as_view(),
        name="oidc-connect-discovery-info",
    ),
    # Everything else is DOT's; the routes above come first and so take precedence.
    *dot_urls.urlpatterns,
]
