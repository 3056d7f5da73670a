"""Settings of the demo identity provider built from oidc_claims.

Environment:
- ``DATABASE_URL``: database (default: SQLite file ``db.sqlite3`` beside manage.py).
- ``REDIS_URL``: Django's cache in Redis (default: local memory).
- ``OIDC_RSA_PRIVATE_KEY``: PEM RSA key signing ID tokens and access tokens (default: one
  generated once into ``example_project/.oidc_rsa_key.pem``).
- ``OIDC_SIGNING_KEYS_ENCRYPTION_KEY``: secret encrypting the signing keys kept in the
  database (``manage.py rotate_signing_keys``); required in deploy mode once such keys exist,
  a demo-only secret otherwise.
- ``OIDC_ACCESS_TOKEN_SIGNING_ALG``: ``ES256``, ``EdDSA`` or ``RS256`` (default).
- ``DJANGO_SECRET_KEY``: set, the site runs in deploy mode (secure cookies, HSTS, HTTPS
  redirect, https redirect URIs only); unset, it is the local demo with a demo-only key.
- ``DJANGO_DEBUG=1``: Django's debug mode (off otherwise, so no debug page reaches a client).
- ``DJANGO_ALLOWED_HOSTS`` (default ``127.0.0.1,localhost``), ``OIDC_ISSUER``.
- Deploy mode only: ``DJANGO_SECURE_SSL_REDIRECT`` (default ``1``), ``DJANGO_HSTS_SECONDS``
  (default one year), ``DJANGO_SECURE_PROXY_SSL_HEADER=1`` behind a proxy that sets
  ``X-Forwarded-Proto``.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

from example_project.oauth import pkce_required
from example_project.signing_key import load_signing_key

BASE_DIR = Path(__file__).resolve().parent.parent
# The issuer of `make demo` (http://127.0.0.1:8000), used when DEBUG is on and OIDC_ISSUER unset.
DEV_ISSUER = "http://127.0.0.1:8000/o"

# Deploy mode is chosen by naming a secret key; without one this is the local demo, whose key
# is public (Django's `check --deploy` flags its "django-insecure-" prefix).
DEPLOY = bool(os.environ.get("DJANGO_SECRET_KEY"))
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or "django-insecure-demo-only-secret-key"
DEBUG = os.environ.get("DJANGO_DEBUG") == "1"
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

if DEPLOY:
    # HTTPS only: tokens, codes and session cookies never travel in clear text.
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SECURE_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(365 * 24 * 3600)))
    if os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER") == "1":
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "oauth2_provider",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "oidc_claims",
    "axes",
    "example_project",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files served by the application itself, compressed and cached forever.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: answers a locked-out login with 429.
    "axes.middleware.AxesMiddleware",
]

# Login throttling (django-axes): the login form and the admin login refuse a username from an
# address after AXES_FAILURE_LIMIT wrong passwords, for AXES_COOLOFF_TIME. The pair, not the
# username alone, so that nobody can lock a user out from elsewhere; behind a proxy, REMOTE_ADDR
# is the proxy's: install django-axes[ipware] and set AXES_IPWARE_PROXY_COUNT.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

ROOT_URLCONF = "example_project.urls"
WSGI_APPLICATION = "example_project.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        # Connections kept between requests, and checked before reuse (a PostgreSQL
        # connection closed by the server is replaced instead of failing a request).
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers wait for each other (up to 20 s) instead of failing with "database is
    # locked": a transaction takes SQLite's write lock when it begins (IMMEDIATE), and WAL lets
    # readers go on while one writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }

if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            # Short timeouts (seconds): when Redis is down or unreachable, requests fall back
            # to the database after half a second instead of hanging (check oidc_claims.W001).
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Users' passwords: Django's default hashers, PBKDF2 first. Client secrets: the last one, a
# salted SHA-256 for DOT's random secrets (OAUTH2_PROVIDER["CLIENT_SECRET_HASHER"]); never first.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "oidc_claims.oauth.client_secrets.ClientSecretHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# `manage.py collectstatic` (run by `make demo`) fills STATIC_ROOT; WhiteNoise serves it.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# The issuer URL (where oidc_claims.urls is mounted). Only a development site has a default:
# `make demo`'s address.
OIDC_ISSUER = os.environ.get("OIDC_ISSUER") or (DEV_ISSUER if DEBUG else "")

OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": load_signing_key(
        "OIDC_RSA_PRIVATE_KEY", BASE_DIR / "example_project" / ".oidc_rsa_key.pem"
    ),
    # The issuer is configured, never taken from the request's Host header (check E010).
    "OIDC_ISS_ENDPOINT": OIDC_ISSUER,
    "PKCE_REQUIRED": pkce_required,
    "SCOPES": {
        "openid": "OpenID Connect",
        "profile": "Your name and username",
        "email": "Your email address",
        "address": "Your postal address",
        "phone": "Your phone number",
        "groups": "Your group memberships",
        "api.read": "Read the demo API",
        "api.write": "Change data through the demo API",
        "claims.read": "Read the claim configuration",
        "claims.manage": "Change the claim configuration",
        # DOT's scope for bearer tokens of resource servers calling introspection.
        "introspection": "Introspect access tokens",
    },
    "DEFAULT_SCOPES": ["openid"],
    # Short access tokens: a JWT validated locally by a resource server stays valid until it
    # expires, whatever happens to its user (deactivation, revocation) meanwhile.
    "ACCESS_TOKEN_EXPIRE_SECONDS": 600,
    # Refresh tokens expire (DOT's default is never). Rotation gives each new refresh token
    # this lifetime again, so a client unused for 14 days must send its user to log in.
    "REFRESH_TOKEN_EXPIRE_SECONDS": 14 * 24 * 3600,
    # OpenID Connect's standard scopes (profile, email, address, phone) whatever SCOPES lists.
    "SCOPES_BACKEND_CLASS": "oidc_claims.oauth.scopes.OpenIDScopes",
    # RP-initiated logout (end_session_endpoint): relying parties sign the user out here.
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    # RFC 9700 section 4.14.2: a refresh token presented twice revokes its whole family (the
    # replacement, its descendants and their access tokens); no grace period, so a stolen
    # refresh token cannot race the client.
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "REFRESH_TOKEN_GRACE_PERIOD_SECONDS": 0,
    # Redirect URIs: https only in deploy mode (a native app's http://127.0.0.1 loopback
    # callback, RFC 8252, needs "http" added back); the demo's callbacks are http.
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"] if DEPLOY else ["http", "https"],
    # DOT's RFC 9700 gates, each a decision rather than a default (DOT warns until it is set):
    # the implicit grant puts tokens in the browser's history (section 2.1.2): refused.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    # the password grant hands the user's password to the client (section 2.4): refused.
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    # PKCE "plain" protects nothing once the challenge leaks (section 2.1.1): refused (the app
    # refuses it too, OIDC_CLAIMS["PKCE_METHODS"]).
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    # access tokens in a URL end up in logs and Referer headers (section 4.3.2): refused.
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    # `iss` in authorization responses lets clients detect mix-up attacks (RFC 9207): sent.
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    # tokens at rest only as a hash (section 4): a database leak leaks no usable token.
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    # `check --deploy` errors (not warns) if reuse protection, https redirect URIs, exact
    # redirect matching or required PKCE is ever turned off.
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
    # oidc_claims: configured claims in ID tokens and userinfo, JWT access tokens.
    "OAUTH2_VALIDATOR_CLASS": "oidc_claims.oauth.validator.ClaimsOAuth2Validator",
    "ACCESS_TOKEN_GENERATOR": "oidc_claims.oauth.generators.generate_access_token",
    # Refresh tokens stay opaque (oauthlib would use the access-token generator otherwise).
    "REFRESH_TOKEN_GENERATOR": "oauthlib.oauth2.rfc6749.tokens.random_token_generator",
    # Client secrets are random (128 characters, or 128 bits when set by hand): one salted
    # SHA-256 instead of PBKDF2's 1,000,000 iterations, ~0.2 s of CPU per token request
    # (check W006). Older PBKDF2 hashes are replaced on each client's next authentication.
    "CLIENT_SECRET_HASHER": "oidc_claims_sha256",
}

OIDC_CLAIMS = {
    # The claims API's audience; unset, its URL on the issuer's origin (…/api/v1/).
    "API_AUDIENCE": os.environ.get("CLAIMS_API_AUDIENCE") or None,
    # Signing keys kept in the database are encrypted with this secret (never in the code
    # of a deployed site: check oidc_claims.E017 names what to set).
    "SIGNING_KEYS_ENCRYPTION_KEY": os.environ.get("OIDC_SIGNING_KEYS_ENCRYPTION_KEY")
    or (None if DEPLOY else "demo-only-signing-keys-encryption-secret-0000"),
    "ACCESS_TOKEN_SIGNING_ALG": os.environ.get("OIDC_ACCESS_TOKEN_SIGNING_ALG", "RS256"),
    # What the demo keeps beyond Django's user (ContactDetails, example_project/models.py),
    # readable as user.emailVerified etc.; seed_demo points the standard claims at them.
    "USER_ATTRIBUTES": {
        "emailVerified": "contact.email_verified",
        "phoneNumber": "contact.phone_number",
        "phoneNumberVerified": "contact.phone_number_verified",
        "address": "contact.address",
    },
}
# The demo API's audience (`/api/hello`); unset, its URL on the issuer's origin.
DEMO_API_AUDIENCE = os.environ.get("DEMO_API_AUDIENCE", "")

# The claims API's OpenAPI schema (drf-spectacular); Swagger UI's assets come from
# drf-spectacular-sidecar's static files, not from a CDN.
REST_FRAMEWORK = {"DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema"}
SPECTACULAR_SETTINGS = {
    "TITLE": "oidc_claims API",
    "DESCRIPTION": "Claim definitions, app profiles, token preview, import and export.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and Swagger UI are public and need no user: without authenticators, a bad
    # Authorization header cannot fail them (DRF's Basic authentication did, as a 500).
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "OAUTH2_FLOWS": ["authorizationCode"],
    "OAUTH2_AUTHORIZATION_URL": "/o/authorize/",
    "OAUTH2_TOKEN_URL": "/o/token/",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"oidc_claims": {"handlers": ["console"], "level": "INFO"}},
}
