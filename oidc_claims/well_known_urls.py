"""The RFC 8414 metadata route, which belongs at the site root. Include it there::

    path("", include("oidc_claims.well_known_urls")),

It serves ``/.well-known/oauth-authorization-server/<issuer path>`` (RFC 8414 section 3),
e.g. ``/.well-known/oauth-authorization-server/o`` when ``oidc_claims.urls`` is under ``o/``.
"""

from django.urls import re_path

from oidc_claims.oauth.views import AuthorizationServerMetadataView

urlpatterns = [
    re_path(
        r"^\.well-known/oauth-authorization-server/(?P<issuer_path>.+)$",
        AuthorizationServerMetadataView.as_view(),
        name="oidc-claims-authorization-server-metadata",
    ),
]
