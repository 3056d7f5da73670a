"""System checks of how client secrets are hashed (``CLIENT_SECRET_HASHER``, ``PASSWORD_HASHERS``).

Registered in ``AppConfig.ready()`` like the other check modules.
"""

from __future__ import annotations

from typing import Any

from django.core import checks

from oidc_claims.checks.provider import TAG
from oidc_claims.oauth.client_secrets import ALGORITHM

HASHER_PATH = "oidc_claims.oauth.client_secrets.ClientSecretHasher"
# Work-factor attributes of Django's deliberately slow hashers (PBKDF2, bcrypt, Argon2, scrypt).
WORK_FACTORS = ("iterations", "rounds", "time_cost", "work_factor")


def _configured_hasher_name() -> str:
    # Imported late: DOT reads its settings on import of the module.
    from oauth2_provider.settings import oauth2_settings

    return oauth2_settings.CLIENT_SECRET_HASHER


@checks.register(TAG)
def check_client_secret_hasher(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    from django.contrib.auth.hashers import get_hasher, get_hashers

    messages: list[checks.CheckMessage] = []
    hashers = get_hashers()
    if hashers and hashers[0].algorithm == ALGORITHM:
        messages.append(
            checks.Error(
                f"{HASHER_PATH} is first in PASSWORD_HASHERS, so Django hashes users' "
                "passwords with it: a fast hash, meant only for random client secrets.",
                hint=f"Put a password hasher first (e.g. "
                '"django.contrib.auth.hashers.PBKDF2PasswordHasher") and list '
                f"{HASHER_PATH} after it.",
                id="oidc_claims.E015",
            )
        )
    name = _configured_hasher_name()
    try:
        hasher = get_hasher(name)
    except ValueError:
        listed = ", ".join(repr(h.algorithm) for h in hashers) or "none"
        messages.append(
            checks.Error(
                f"OAUTH2_PROVIDER['CLIENT_SECRET_HASHER'] is {name!r}, which no hasher of "
                f"PASSWORD_HASHERS provides (algorithms: {listed}): saving an application "
                "would fail.",
                hint=f'Add "{HASHER_PATH}" at the end of PASSWORD_HASHERS and set '
                f'CLIENT_SECRET_HASHER to "{ALGORITHM}".',
                id="oidc_claims.E016",
            )
        )
        return messages
    work = [attr for attr in WORK_FACTORS if getattr(hasher, attr, None)]
    if work:
        factor = f"{work[0]}={getattr(hasher, work[0])}"
        messages.append(
            checks.Warning(
                f"Client secrets are hashed with {type(hasher).__name__} ({factor}), a "
                "deliberately slow password hasher: each confidential client's token request "
                f"spends its CPU time (CLIENT_SECRET_HASHER is {name!r}) while the random "
                "secrets gain nothing from it.",
                hint=f'Add "{HASHER_PATH}" at the end of PASSWORD_HASHERS and set '
                f"OAUTH2_PROVIDER['CLIENT_SECRET_HASHER'] = \"{ALGORITHM}\"; existing hashes "
                "are upgraded on each client's next successful authentication.",
                id="oidc_claims.W006",
            )
        )
    return messages
