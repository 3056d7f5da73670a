"""URLs of the baseline: django-oauth-toolkit's own endpoints, nothing of oidc_claims."""

from django.urls import include, path

urlpatterns = [path("o/", include("oauth2_provider.urls", namespace="oauth2_provider"))]
