"""Plain django-oauth-toolkit: the example's database and DOT settings, nothing of oidc_claims.

The baseline of ``benchmarks/http_serving.py``: Django's default middleware, DOT's views,
validator, opaque access tokens and Django's default password hashers. It shares the example's
database (DOT's tables are the same), so both sites serve the same clients and tokens.
"""

from example_project.settings import *  # noqa: F403
from example_project.settings import OAUTH2_PROVIDER

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "oauth2_provider",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
ROOT_URLCONF = "benchmarks.urls_plain_dot"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "oidc_claims.oauth.client_secrets.ClientSecretHasher",  # reads the shared rows' hashes
]
OAUTH2_PROVIDER = {
    key: value
    for key, value in OAUTH2_PROVIDER.items()
    if key
    not in {
        "OAUTH2_VALIDATOR_CLASS",
        "ACCESS_TOKEN_GENERATOR",
        "REFRESH_TOKEN_GENERATOR",
        "SCOPES_BACKEND_CLASS",
        "CLIENT_SECRET_HASHER",
    }
}
LOGGING = {"version": 1, "disable_existing_loggers": False}
