"""System checks of the signing keys: algorithms, overlap periods, the encryption secret.

Registered in ``AppConfig.ready()``; ids continue the ``oidc_claims.E0xx/W0xx`` series. The
checks that read the database are tagged ``database`` (Django runs them for
``check --database default``, ``migrate`` and the test runner).
"""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.db import DatabaseError

from oidc_claims.checks.provider import TAG
from oidc_claims.conf import claims_settings
from oidc_claims.models import AppProfile
from oidc_claims.models.key_encryption import (
    GENERATE_HINT,
    SETTING,
    EncryptionKeyError,
    configured_secrets,
    decrypt_private_key,
    secrets_problem,
)
from oidc_claims.models.key_rotation import (
    jwks_max_age,
    longest_token_lifetime,
    overdue_rotations,
    publish_seconds,
    retire_seconds,
)
from oidc_claims.models.key_store import current_key_set
from oidc_claims.models.signing_keys import ALGORITHMS, PUBLISHED_STATES, SigningKey

ROTATE_COMMAND = "manage.py rotate_signing_keys --algorithm {}"


@checks.register(TAG)
def check_access_token_algorithm(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    value = claims_settings.ACCESS_TOKEN_SIGNING_ALG
    if value in ALGORITHMS:
        return []
    return [
        checks.Error(
            f"OIDC_CLAIMS['ACCESS_TOKEN_SIGNING_ALG'] is {value!r}: access tokens cannot be "
            "signed.",
            hint=f"Set it to one of {', '.join(repr(alg) for alg in ALGORITHMS)}.",
            id="oidc_claims.E018",
        )
    ]


@checks.register(TAG)
def check_resource_server_algorithms(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    value = claims_settings.RESOURCE_SERVER_ALGORITHMS
    configured = (value,) if isinstance(value, str) else tuple(value or ())
    refused = [alg for alg in configured if alg not in ALGORITHMS]
    if configured and not refused:
        return []
    what = f"holds {', '.join(repr(alg) for alg in refused)}" if refused else "is empty"
    return [
        checks.Error(
            f"OIDC_CLAIMS['RESOURCE_SERVER_ALGORITHMS'] {what}: JWTAccessTokenAuthentication "
            "accepts only ES256, EdDSA and RS256 (never 'none', never HS* with a public key) "
            "and ignores the rest.",
            hint="Set it to the algorithms of the identity provider's access tokens, e.g. "
            "('ES256',) or ('ES256', 'EdDSA', 'RS256').",
            id="oidc_claims.E019",
        )
    ]


@checks.register(TAG)
def check_overlap_periods(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    cache_seconds = int(claims_settings.SIGNING_KEYS_CACHE_SECONDS)
    messages = []
    needed = longest_token_lifetime() + cache_seconds
    if retire_seconds() < needed:
        messages.append(
            checks.Warning(
                f"OIDC_CLAIMS['SIGNING_KEY_RETIRE_SECONDS'] is {retire_seconds()}: a key would "
                "leave the JWKS before the tokens it signed expire (the longest token lifetime "
                f"plus SIGNING_KEYS_CACHE_SECONDS is {needed} s), failing their verification.",
                hint=f"Set it to at least {needed}, or to None (derived from the lifetimes).",
                id="oidc_claims.W007",
            )
        )
    needed = jwks_max_age() + cache_seconds
    if publish_seconds() < needed:
        messages.append(
            checks.Warning(
                f"OIDC_CLAIMS['SIGNING_KEY_PUBLISH_SECONDS'] is {publish_seconds()}: a key "
                "would sign before resource servers that cache the JWKS for "
                f"OIDC_JWKS_MAX_AGE_SECONDS have fetched it ({needed} s with "
                "SIGNING_KEYS_CACHE_SECONDS).",
                hint=f"Set it to at least {needed}, or to None (derived from the JWKS max-age).",
                id="oidc_claims.W008",
            )
        )
    return messages


@checks.register(TAG)
def check_encryption_secret_form(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    problem = secrets_problem()
    if problem is None:
        return []
    return [checks.Error(f"{problem}.", hint=f"{GENERATE_HINT}.", id="oidc_claims.E017")]


@checks.register(TAG, checks.Tags.database)
def check_database_keys(
    app_configs: Any = None, databases: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    if not databases or "default" not in databases:
        return []
    try:
        encrypted = dict(
            SigningKey.objects.filter(state__in=PUBLISHED_STATES).values_list(
                "kid", "encrypted_private_key"
            )
        )
        chosen = set(
            AppProfile.objects.exclude(id_token_signed_response_alg="").values_list(
                "id_token_signed_response_alg", flat=True
            )
        )
        active = current_key_set().signing_algorithms
    except DatabaseError:
        return []  # not migrated yet: nothing is stored
    messages = []
    if encrypted and not configured_secrets():
        messages.append(
            checks.Error(
                f"{len(encrypted)} signing key(s) are stored in the database, encrypted, but "
                f"{SETTING} is not set: no token can be signed with them.",
                hint=f"{GENERATE_HINT}; it must be the secret the keys were encrypted with.",
                id="oidc_claims.E017",
            )
        )
    elif encrypted and secrets_problem() is None:
        unreadable = sorted(kid for kid, token in encrypted.items() if not _opens(token))
        if unreadable:
            messages.append(
                checks.Error(
                    f"No secret in {SETTING} decrypts the stored signing key(s) "
                    f"{', '.join(unreadable)}: tokens of their algorithm cannot be signed.",
                    hint="Put back the secret they were encrypted with (a list keeps old "
                    "secrets for decryption), or retire those keys.",
                    id="oidc_claims.E017",
                )
            )
    wanted = {claims_settings.ACCESS_TOKEN_SIGNING_ALG: "OIDC_CLAIMS['ACCESS_TOKEN_SIGNING_ALG']"}
    for algorithm in sorted(chosen):
        wanted.setdefault(algorithm, "an application profile's ID token signing algorithm")
    for algorithm, where in wanted.items():
        if algorithm in ALGORITHMS and algorithm not in active:
            messages.append(
                checks.Error(
                    f"{where} is {algorithm!r} but no {algorithm} signing key is active: "
                    "those tokens cannot be signed.",
                    hint=f"Run '{ROTATE_COMMAND.format(algorithm)}' (with --activate-now for "
                    "the first key of an algorithm), or choose an algorithm with an active key.",
                    id="oidc_claims.E020",
                )
            )
    return messages


ROTATION_HINT = (
    "Schedule 'manage.py rotate_signing_keys' (cron, every few minutes; it makes the due "
    "transitions and nothing else), and read its output for errors."
)


@checks.register(TAG, checks.Tags.database)
def check_rotation_on_time(
    app_configs: Any = None, databases: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    if not databases or "default" not in databases:
        return []
    try:
        problems = overdue_rotations()
    except DatabaseError:
        return []  # not migrated yet
    if not problems:
        return []
    return [
        checks.Warning(
            f"The signing-key rotation is late: {'; '.join(problems)}.",
            hint=ROTATION_HINT,
            id="oidc_claims.W009",
        )
    ]


def _opens(token: str) -> bool:
    try:
        decrypt_private_key(token)
    except EncryptionKeyError:
        return False
    return True
