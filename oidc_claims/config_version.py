"""The claim-configuration version shared by every process through Django's cache."""

from __future__ import annotations

import secrets

from django.core.cache import caches
from django.db import transaction

from .conf import claims_settings


def _cache():
    return caches[claims_settings.CACHE_ALIAS]


def get_config_version() -> str:
    """The current version; created (once, whichever process is first) when the cache has none."""
    cache = _cache()
    key = claims_settings.VERSION_CACHE_KEY
    version = cache.get(key)
    if version is None:
        # add() is atomic on shared backends: concurrent processes agree on one winner.
        cache.add(key, secrets.token_hex(16), timeout=None)
        version = cache.get(key)
        if version is None:  # a dummy cache keeps nothing: every read is a fresh version
            version = secrets.token_hex(16)
    return version


def bump_config_version() -> None:
    """Give the configuration a fresh version now and again when the transaction commits.

    Now, so this process (and the admin's preview in the same request) sees the change;
    on commit, because another process may have reloaded the old rows in between and
    cached them under the version set before the commit.
    """
    _set_new_version()
    transaction.on_commit(_set_new_version)


def _set_new_version() -> None:
    _cache().set(claims_settings.VERSION_CACHE_KEY, secrets.token_hex(16), timeout=None)
