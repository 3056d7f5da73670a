"""A site that includes DOT's urls instead of oidc_claims' (for check W002)."""

from django.urls import include, path

urlpatterns = [path("o/", include("oauth2_provider.urls", namespace="oauth2_provider"))]
