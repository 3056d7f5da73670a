"""System checks: the DOT configuration that oidc_claims needs to issue tokens.

Each check is a pure function registered with Django's check framework; every message
has an id, names the offending value and says what to change.
"""

from __future__ import annotations

from typing import Any

from django.core import checks
from oauth2_provider.settings import oauth2_settings

from oidc_claims.conf import claims_settings
from oidc_claims.engine.user_attributes import configured_attribute_problems

TAG = "oidc_claims"



@checks.register(TAG)
def check_oidc_enabled(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if oauth2_settings.OIDC_ENABLED:
        return []
    return [
        checks.Error(
            "django-oauth-toolkit's OpenID Connect support is disabled "
            "(OAUTH2_PROVIDER['OIDC_ENABLED'] is not True), so no ID token can be issued.",
            hint="Set OAUTH2_PROVIDER['OIDC_ENABLED'] = True in your settings.",
            id="oidc_claims.E001",
        )
    ]


@checks.register(TAG)
def check_signing_key(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from jwcrypto import jwk

    if not oauth2_settings.OIDC_ENABLED:
        return []  # E001 already says what is wrong.
    pem = oauth2_settings.OIDC_RSA_PRIVATE_KEY
    if not pem:
        return [
            checks.Error(
                "No RSA signing key is configured (OAUTH2_PROVIDER['OIDC_RSA_PRIVATE_KEY'] is "
                "empty): ID tokens and JWT access tokens cannot be signed with RS256.",
                hint="Set OAUTH2_PROVIDER['OIDC_RSA_PRIVATE_KEY'] to a PEM-encoded RSA private "
                "key, e.g. read from an environment variable; generate one with "
                "'openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048'.",
                id="oidc_claims.E002",
            )
        ]
    try:
        key = jwk.JWK.from_pem(pem.encode() if isinstance(pem, str) else pem)
    except (ValueError, TypeError) as exc:
        return [
            checks.Error(
                f"OAUTH2_PROVIDER['OIDC_RSA_PRIVATE_KEY'] is not a readable PEM private key: {exc}",
                hint="Give the whole PEM text, including the BEGIN/END lines, of an RSA "
                "private key (not a public key or certificate).",
                id="oidc_claims.E003",
            )
        ]
    if key.get("kty") != "RSA" or not key.has_private:
        return [
            checks.Error(
                "OAUTH2_PROVIDER['OIDC_RSA_PRIVATE_KEY'] holds a "
                f"{'private' if key.has_private else 'public'} {key.get('kty')} key; "
                "an RSA private key is required for RS256.",
                hint="Use a PEM-encoded RSA private key of at least 2048 bits.",
                id="oidc_claims.E003",
            )
        ]
    return []


# Redis client options without which an unreachable Redis holds every token request for
# the operating system's TCP timeouts (minutes when the server is black-holed).
REDIS_TIMEOUT_OPTIONS = ("socket_connect_timeout", "socket_timeout")


@checks.register(TAG, deploy=True)
def check_version_cache_timeouts(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    from django.conf import settings


    alias = claims_settings.CACHE_ALIAS
    cache = settings.CACHES.get(alias, {})
    if cache.get("BACKEND") != "django.core.cache.backends.redis.RedisCache":
        return []
    options = cache.get("OPTIONS") or {}
    missing = [name for name in REDIS_TIMEOUT_OPTIONS if not options.get(name)]
    if not missing:
        return []
    return [
        checks.Warning(
            f"The cache {alias!r} (OIDC_CLAIMS['CACHE_ALIAS']) is Redis without "
            f"{' and '.join(missing)}: when Redis is unreachable, token requests wait for the "
            "operating system's TCP timeouts before the claims fall back to the database.",
            hint=f"Set CACHES[{alias!r}]['OPTIONS'] = {{'socket_connect_timeout': 0.5, "
            "'socket_timeout': 0.5}} (seconds).",
            id="oidc_claims.W001",
        )
    ]


@checks.register(TAG)
def check_user_attributes(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from django.contrib.auth import get_user_model


    problems = configured_attribute_problems(claims_settings.USER_ATTRIBUTES, get_user_model())
    return [
        checks.Error(
            f"OIDC_CLAIMS['USER_ATTRIBUTES'] entry {alias!r} is refused: {problem}; "
            "expressions will get an error instead of a value.",
            hint="Map each alias to a dotted path of plain fields, e.g. "
            "{'department': 'profile.department'}; passwords, names starting with '_' and "
            "methods are never readable.",
            id="oidc_claims.E004",
        )
        for alias, problem in problems
    ]
