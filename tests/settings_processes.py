"""Settings of the server processes that the propagation tests start.

Every process shares one database (``OIDC_CLAIMS_PROCESSES_DATABASE_URL``: a SQLite file or
PostgreSQL) and has the local-memory cache, or Redis when ``OIDC_CLAIMS_PROCESSES_REDIS_URL``
is set. Loads of the claim configuration are logged, so that tests can count them.
"""

import os

import dj_database_url

from tests.settings import *  # noqa: F403

DATABASES = {
    "default": dj_database_url.parse(
        os.environ["OIDC_CLAIMS_PROCESSES_DATABASE_URL"], conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes write (tokens, sessions): writers queue instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL;",
    }

if os.environ.get("OIDC_CLAIMS_PROCESSES_REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["OIDC_CLAIMS_PROCESSES_REDIS_URL"],
            "KEY_PREFIX": "processes",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {
        "oidc_claims": {"handlers": ["stderr"], "level": "INFO"},
        # Server errors with their tracebacks in the server log a failing test points to.
        "django.request": {"handlers": ["stderr"], "level": "ERROR"},
    },
}

# The signing-key tests choose the access tokens' algorithm and how long each process keeps
# the key set it read.
if os.environ.get("OIDC_CLAIMS_PROCESSES_SIGNING_ALG"):
    OIDC_CLAIMS = {  # noqa: F405
        **OIDC_CLAIMS,  # noqa: F405
        "ACCESS_TOKEN_SIGNING_ALG": os.environ["OIDC_CLAIMS_PROCESSES_SIGNING_ALG"],
        "SIGNING_KEYS_CACHE_SECONDS": int(
            os.environ.get("OIDC_CLAIMS_PROCESSES_KEYS_CACHE_SECONDS", "60")
        ),
    }
