"""Settings of the relying party: mozilla-django-oidc against the IdP named by the environment.

``RP_OP_ISSUER`` (the IdP's issuer, endpoints under it as DOT serves them), ``RP_CLIENT_ID``,
``RP_CLIENT_SECRET`` and ``RP_DATABASE`` (an SQLite file) are set by the test that starts it.
"""

import os

SECRET_KEY = "relying-party-tests-only"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "tests.e2e.relying_party.urls"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "mozilla_django_oidc",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Renews the session with prompt=none once the ID token's expiry has passed.
    "mozilla_django_oidc.middleware.SessionRefresh",
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["RP_DATABASE"]}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
AUTHENTICATION_BACKENDS = ["tests.e2e.relying_party.backend.UserinfoBackend"]
LOGIN_URL = "/oidc/authenticate/"
LOGIN_REDIRECT_URL = "/"

_ISSUER = os.environ["RP_OP_ISSUER"]
OIDC_RP_CLIENT_ID = os.environ["RP_CLIENT_ID"]
OIDC_RP_CLIENT_SECRET = os.environ["RP_CLIENT_SECRET"]
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid profile email"
OIDC_OP_AUTHORIZATION_ENDPOINT = f"{_ISSUER}/authorize/"
OIDC_OP_TOKEN_ENDPOINT = f"{_ISSUER}/token/"
OIDC_OP_USER_ENDPOINT = f"{_ISSUER}/userinfo/"
OIDC_OP_JWKS_ENDPOINT = f"{_ISSUER}/.well-known/jwks.json"
OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS = 3600
# The test's way to let that hour pass: this page ends the ID token's validity.
OIDC_EXEMPT_URLS = ["/expire/"]
