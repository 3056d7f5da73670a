"""Client authentication that costs the same for an unknown client as for a wrong secret.

DOT checks a known client's secret with a password hasher (``CLIENT_SECRET_HASHER``) and
refuses an unknown client id without hashing anything, so the answer time tells which client
ids exist. For a client that failed to authenticate and was never found, the validator runs
:func:`verify_against_dummy`: one verification with the configured hasher, whichever it is,
against a hash made once by that hasher. Django's login does the same for unknown users.
"""

from __future__ import annotations

from functools import lru_cache

from django.contrib.auth.hashers import BasePasswordHasher, check_password, get_hasher
from django.utils.crypto import get_random_string
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
