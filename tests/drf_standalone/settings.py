"""Settings of the stand-alone resource server: oidc_claims is not an installed app."""

import os

SECRET_KEY = "drf-standalone-tests-only"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "rest_framework"]
DATABASES: dict = {}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
ROOT_URLCONF = "tests.drf_standalone.urls"
USE_TZ = True
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "oidc_claims.contrib.rest_framework.authentication.JWTAccessTokenAuthentication"
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "UNAUTHENTICATED_USER": None,
}
# Where the identity provider is: given by the test that starts it.
OIDC_CLAIMS = {
    "RESOURCE_SERVER_ISSUER": os.environ["IDP_ISSUER"],
    "RESOURCE_SERVER_JWKS_URL": os.environ["IDP_JWKS_URL"],
    "RESOURCE_SERVER_AUDIENCE": os.environ["API_AUDIENCE"],
}
