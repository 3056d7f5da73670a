"""Test settings: the demo IdP's settings with a throwaway signing key and fast hashing."""

import os
import tempfile
from pathlib import Path

from jwcrypto import jwk

# An ephemeral key keeps test runs from writing into the checkout; the file-based
# fallback of the demo is tested on its own.
if not os.environ.get("OIDC_RSA_PRIVATE_KEY"):
    os.environ["OIDC_RSA_PRIVATE_KEY"] = (
        jwk.JWK.generate(kty="RSA", size=2048)
        .export_to_pem(private_key=True, password=None)
        .decode()
    )

from example_project.settings import *  # noqa: E402,F403

DEBUG = False
SECRET_KEY = "tests-only-secret-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
# PBKDF2 costs ~0.4 s per check; the tests check hundreds of passwords and client secrets.
# Client secrets keep the example's hasher (CLIENT_SECRET_HASHER), listed after MD5.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "oidc_claims.oauth.client_secrets.ClientSecretHasher",
]

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not :memory: (one connection that every live-server thread would share), so
    # that concurrency tests meet SQLite as a site does, with the example's OPTIONS.
    _test_db = str(Path(tempfile.gettempdir()) / f"oidc_claims_tests_{os.getpid()}.sqlite3")
    DATABASES["default"]["NAME"] = _test_db  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": _test_db}  # noqa: F405

LOGGING = {"version": 1, "disable_existing_loggers": False}

# No collectstatic before the tests: WhiteNoise and the live server find static files in the
# apps, without a manifest.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The example refuses the implicit and password grants (RFC 9700); the app still supports them
# for sites that allow them, and the suite tests that support. Every other RFC 9700 gate is the
# example's.
OAUTH2_PROVIDER = {
    **OAUTH2_PROVIDER,  # noqa: F405
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": False,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": False,
}

# The test client and live servers answer on several hosts and ports: the issuer follows the
# request, as DOT does without OIDC_ISS_ENDPOINT (tests of a configured issuer set it).
OAUTH2_PROVIDER = {**OAUTH2_PROVIDER, "OIDC_ISS_ENDPOINT": ""}  # noqa: F405
# Tests start from an empty claim configuration; those about the standard claims create
# them (the `standard_claims` fixture, or seed_demo in end-to-end tests).
OIDC_CLAIMS = {**OIDC_CLAIMS, "SEED_STANDARD_CLAIMS": False}  # noqa: F405
