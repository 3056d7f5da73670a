"""Test settings: the demo IdP's settings with a throwaway signing key and fast hashing."""

import os

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
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["NAME"] = ":memory:"  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}  # noqa: F405

LOGGING = {"version": 1, "disable_existing_loggers": False}
