"""URLs of the demo identity provider."""

from django.contrib import admin
from django.urls import include, path

from example_project import views

urlpatterns = [
    path("", views.home, name="home"),
    path("demo/callback", views.demo_callback, name="demo-callback"),
    path("accounts/", include("django.contrib.auth.urls")),
    # oidc_claims' endpoints (CORS, introspection with claims, discovery) in front of DOT's.
    path("o/", include("oidc_claims.urls", namespace="oauth2_provider")),
    path("api/hello", views.ApiHelloView.as_view(), name="api-hello"),
    path("admin/", admin.site.urls),
]
