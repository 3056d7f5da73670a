"""URLs of an OpenID Provider with configured claims: the endpoints an OP needs, nothing more.

Include it in place of DOT's urls, under DOT's namespace::

    path("o/", include("oidc_claims.urls", namespace="oauth2_provider")),

Routed: authorization, token, revocation, introspection, userinfo, discovery, JWKS,
RP-initiated logout, the device flow and DOT's RFC 8414 metadata. DOT's client-management
pages (``applications/``, ``authorized_tokens/``) answer 404 unless the site sets
``OIDC_CLAIMS["MANAGEMENT_VIEWS"] = True``, and the application pages are then for staff
with ``oauth2_provider.add_application`` only (:mod:`oidc_claims.oauth.views.management`).
DOT's dynamic client registration is not routed.
"""

from django.urls import path, re_path
from oauth2_provider import urls as dot_urls

from oidc_claims.oauth import views
from oidc_claims.oauth.views import management
from oidc_claims.oauth.views.server_errors import with_json_server_errors

app_name = "oauth2_provider"

# DOT's routes that this module replaces (above) or leaves out on purpose (management).
_REPLACED_OR_LEFT_OUT = {
    "authorize",
    "token",
    "revoke-token",
    "introspect",
    "user-info",
    "device-authorization",
    "oidc-connect-discovery-info",
    "jwks-info",
    *(pattern.name for pattern in dot_urls.management_urlpatterns),
}

urlpatterns = [
    path("authorize/", views.ClaimsAuthorizationView.as_view(), name="authorize"),
    path("token/", views.CorsTokenView.as_view(), name="token"),
    path("revoke_token/", views.CorsRevokeTokenView.as_view(), name="revoke-token"),
    path("introspect/", views.ClaimsIntrospectTokenView.as_view(), name="introspect"),
    path("userinfo/", views.CorsUserInfoView.as_view(), name="user-info"),
    path(
        "device-authorization/",
        views.ClaimsDeviceAuthorizationView.as_view(),
        name="device-authorization",
    ),
    re_path(
        r"^\.well-known/openid-configuration/?$",
        views.ClaimsDiscoveryInfoView.as_view(),
        name="oidc-connect-discovery-info",
    ),
    # DOT's RFC 8414 route under the prefix: the same document as the OpenID one.
    path(
        ".well-known/oauth-authorization-server",
        views.ClaimsDiscoveryInfoView.as_view(),
        name="oauth-server-metadata",
    ),
    path(".well-known/jwks.json", views.ClaimsJwksInfoView.as_view(), name="jwks-info"),
    path("logout/", views.ClaimsRPInitiatedLogoutView.as_view(), name="rp-initiated-logout"),
    # DOT's own: metadata, the device flow, JWKS, RP-initiated logout.
    *(
        pattern
        for pattern in (
            *dot_urls.metadata_urlpatterns,
            *dot_urls.base_urlpatterns,
            *dot_urls.oidc_urlpatterns,
        )
        if pattern.name not in _REPLACED_OR_LEFT_OUT
    ),
    # Opt-in management pages; integer ids, so a malformed one is a 404, not a 500.
    path("applications/", management.ApplicationList.as_view(), name="list"),
    path("applications/register/", management.ApplicationRegistration.as_view(), name="register"),
    path("applications/<int:pk>/", management.ApplicationDetail.as_view(), name="detail"),
    path("applications/<int:pk>/delete/", management.ApplicationDelete.as_view(), name="delete"),
    path("applications/<int:pk>/update/", management.ApplicationUpdate.as_view(), name="update"),
    path(
        "authorized_tokens/",
        management.AuthorizedTokensList.as_view(),
        name="authorized-token-list",
    ),
    path(
        "authorized_tokens/<int:pk>/delete/",
        management.AuthorizedTokenDelete.as_view(),
        name="authorized-token-delete",
    ),
]

# An unexpected error is a JSON server_error for the OAuth client, never an HTML page.
urlpatterns = with_json_server_errors(urlpatterns)
