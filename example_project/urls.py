"""URLs of the demo identity provider."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from example_project import views

urlpatterns = [
    path("", views.home, name="home"),
    path("demo/callback", views.demo_callback, name="demo-callback"),
    path("accounts/", include("django.contrib.auth.urls")),
    # oidc_claims' endpoints (CORS, introspection with claims, discovery) in front of DOT's.
    path("o/", include("oidc_claims.urls", namespace="oauth2_provider")),
    # RFC 8414 metadata at the root, for the issuer http(s)://host/o.
    path("", include("oidc_claims.well_known_urls")),
    path("api/hello", views.ApiHelloView.as_view(), name="api-hello"),
    path("admin/", admin.site.urls),
    # The claims API and its OpenAPI schema, with Swagger UI served from local static files.
    path("api/v1/", include("oidc_claims.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # GET only: drf-spectacular's page has no template for DRF's OPTIONS answer (a 500).
    path(
        "api/docs/",
        SpectacularSwaggerView.as_view(url_name="api-schema", http_method_names=["get", "head"]),
        name="api-docs",
    ),
]

# OAuth clients and API callers get JSON errors, never an HTML page.
handler400 = "oidc_claims.oauth.views.errors.bad_request"
handler500 = "oidc_claims.oauth.views.errors.server_error"
