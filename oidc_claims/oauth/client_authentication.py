"""Client authentication that costs the same for an unknown client as for a wrong secret,
and that moves secrets hashed by an older hasher to ``CLIENT_SECRET_HASHER``.

DOT checks a known client's secret with a password hasher (``CLIENT_SECRET_HASHER``) and
refuses an unknown client id without hashing anything, so the answer time tells which client
ids exist. For a client that failed to authenticate and was never found, the validator runs
:func:`verify_against_dummy`: one verification with the configured hasher, whichever it is,
against a hash made once by that hasher. Django's login does the same for unknown users.
"""

from __future__ import annotations

from functools import lru_cache

from django.contrib.auth.hashers import (
    BasePasswordHasher,
    check_password,
    get_hasher,
    identify_hasher,
    make_password,
)
from django.utils.crypto import get_random_string
from oauth2_provider.models import get_application_model
from oauth2_provider.settings import oauth2_settings


@lru_cache(maxsize=8)
def _dummy_hash(hasher: BasePasswordHasher) -> str:
    # Keyed by the hasher instance: Django makes new instances when PASSWORD_HASHERS changes.
    return hasher.encode(get_random_string(32), hasher.salt())


def verify_against_dummy(secret: str | None) -> bool:
    """Verify ``secret`` against a dummy hash of ``CLIENT_SECRET_HASHER``; always False."""
    hasher_name = oauth2_settings.CLIENT_SECRET_HASHER
    check_password(secret or "", _dummy_hash(get_hasher(hasher_name)), preferred=hasher_name)
    return False


class SecretUpgradeMixin:
    """For an OAuth2Validator: a secret verified against another hasher's hash (PBKDF2 from
    before ``CLIENT_SECRET_HASHER`` was changed) is stored again with the configured hasher.

    Django's ``check_password`` calls the setter after a successful verification when the
    hash is not of the preferred hasher or asks to be updated, as its login does for users'
    passwords. Secrets stored unhashed (``hash_client_secret=False``) stay as they are.
    """

    def _check_secret(self, provided_secret: str, stored_secret: str) -> bool:
        try:
            identify_hasher(stored_secret)
        except ValueError:
            return super()._check_secret(provided_secret, stored_secret)  # type: ignore[misc]

        def store_again(secret: str) -> None:
            new_hash = make_password(secret, hasher=oauth2_settings.CLIENT_SECRET_HASHER)
            # Matched on the old hash (salted: one row), so a concurrent upgrade or a
            # secret changed meanwhile is left alone; update() bypasses the hashing field.
            get_application_model().objects.filter(client_secret=stored_secret).update(
                client_secret=new_hash
            )

        return check_password(
            provided_secret,
            stored_secret,
            setter=store_again,
            preferred=oauth2_settings.CLIENT_SECRET_HASHER,
        )
