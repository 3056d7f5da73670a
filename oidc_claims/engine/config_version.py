"""The claim-configuration version: read from the database, made cheap by a shared cache.

The database is the authority: triggers (``version_triggers``) replace the token of the
version row on every write to a claim table. Processes learn of a change in one of two ways:

- without a shared cache (local memory, dummy), every read asks the database: one
  primary-key query;
- with a shared cache (Redis, Memcached, the database cache), every change committed through
  Django puts a fresh *change stamp* into the cache (:func:`announce`), and a process asks the
  database only when the stamp differs from the one it saw last, or when
  ``OIDC_CLAIMS["VERSION_RECHECK_SECONDS"]`` have passed (for writes made outside Django).

The stamp is read *before* the database, and written only *after* the commit: a process that
sees a stamp therefore reads a version at least as new as the change that set it. The cache
never holds a version, so it cannot make a process serve an old one. Any cache error means
"ask the database" for ``CACHE_RETRY_SECONDS``.
"""

from __future__ import annotations

import logging
import secrets
from time import monotonic

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.dispatch import Signal

from oidc_claims.conf import claims_settings
from oidc_claims.engine.version_triggers import TRIGGER_VENDORS
from oidc_claims.models.configuration_version import (
    VERSION_ROW_ID,
    ConfigurationVersion,
    read_version,
)

logger = logging.getLogger("oidc_claims.engine.resolve")

# Cache backends that are not shared between processes: their stamp tells other processes
# nothing, so the version is read from the database on every read.
PROCESS_LOCAL_CACHE_BACKENDS = frozenset(
    {
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
    }
)

# After a cache error, how long this process reads the version from the database only
# (seconds): a down or black-holed cache costs one timeout per process per period.
CACHE_RETRY_SECONDS = 5.0

# Set on a database connection that wrote claim rows in a transaction not committed yet.
UNCOMMITTED_ATTR = "oidc_claims_uncommitted_change"

configuration_changed = Signal()
"""Sent once per committed transaction that changed the claim configuration (and by bump())."""


def has_uncommitted_change(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether this thread's connection wrote claim rows in a transaction still open.

    Such a transaction sees rows that other transactions do not (and may roll back): what is
    compiled from them must stay private to it.
    """
    connection = connections[using]
    if not getattr(connection, UNCOMMITTED_ATTR, False):
        return False
    if connection.in_atomic_block:
        return True
    setattr(connection, UNCOMMITTED_ATTR, False)  # committed or rolled back since
    return False


def shared_cache_alias() -> str | None:
    """The alias of the version cache when processes share it, else None."""
    alias = claims_settings.CACHE_ALIAS
    backend = settings.CACHES.get(alias, {}).get("BACKEND", "")
    return None if backend in PROCESS_LOCAL_CACHE_BACKENDS else alias


class VersionReader:
    """One process's view of the version: the last stamp it saw and the version it read."""

    def __init__(self) -> None:
        # (stamp, version, monotonic time of the database read); replaced as a whole.
        self._seen: tuple[str, str, float] | None = None
        self._cache_down_until = 0.0
        self.database_reads = 0

    def current(self, using: str = DEFAULT_DB_ALIAS) -> str:
        """The version of the configuration this thread's next read of the rows would see."""
        alias = None if has_uncommitted_change(using) else shared_cache_alias()
        stamp = self._stamp(alias) if alias is not None else None
        seen = self._seen
        if stamp is not None and seen is not None and seen[0] == stamp and not self._due(seen):
            return seen[1]
        version = self._read_database(using)
        if stamp is not None:
            self._seen = (stamp, version, monotonic())
        return version

    def forget(self) -> None:
        """Ask the database on the next read (this process just changed the configuration)."""
        self._seen = None

    def _read_database(self, using: str) -> str:
        self.database_reads += 1
        return read_version(using)

    @staticmethod
    def _due(seen: tuple[str, str, float]) -> bool:
        interval = claims_settings.VERSION_RECHECK_SECONDS
        return interval is not None and monotonic() - seen[2] >= interval

    def _stamp(self, alias: str) -> str | None:
        if not self.cache_usable():
            return None
        cache = caches[alias]
        key = claims_settings.VERSION_CACHE_KEY
        try:
            stamp = cache.get(key)
            if stamp is None:
                # add(): concurrent processes agree on one stamp.
                cache.add(key, secrets.token_hex(16), timeout=None)
                stamp = cache.get(key)
        except Exception as exc:  # noqa: BLE001  (any backend error: the database decides)
            self.cache_failed(alias, exc)
            return None
        return stamp if isinstance(stamp, str) else None

    def cache_usable(self) -> bool:
        """False for CACHE_RETRY_SECONDS after a cache error."""
        return monotonic() >= self._cache_down_until

    def cache_failed(self, alias: str, exc: Exception) -> None:
        """Leave the cache alone for a while: the database answers meanwhile."""
        self._cache_down_until = monotonic() + CACHE_RETRY_SECONDS
        logger.warning(
            "The claim version cache %r failed (%s); the version is read from the database "
            "for %s s. Give the cache short timeouts (README: Propagation of changes).",
            alias,
            exc,
            CACHE_RETRY_SECONDS,
        )


default_reader = VersionReader()


def current_version(using: str = DEFAULT_DB_ALIAS) -> str:
    """The current claim-configuration version (see the module docstring for the cost)."""
    return default_reader.current(using)


def announce() -> None:
    """Tell every process that the configuration changed: a fresh stamp in the shared cache.

    Call it after the change is committed. ``changed()`` does so for every write made
    through Django.
    """
    default_reader.forget()
    alias = shared_cache_alias()
    if alias is not None and default_reader.cache_usable():
        try:
            caches[alias].set(claims_settings.VERSION_CACHE_KEY, secrets.token_hex(16), None)
        except Exception as exc:  # noqa: BLE001  (processes that saw no stamp ask the database)
            default_reader.cache_failed(alias, exc)
    configuration_changed.send(sender=ConfigurationVersion)


def changed(using: str = DEFAULT_DB_ALIAS) -> None:
    """Record that claim rows were written on ``using``: announced when the write commits.

    The change watch (``oidc_claims.engine.change_watch``) calls it for every write made through
    Django; where the database has no triggers it also writes the version row.
    """
    if connections[using].vendor not in TRIGGER_VENDORS:
        _write_version(using)
    _announce_on_commit(using)


def bump(using: str = DEFAULT_DB_ALIAS) -> None:
    """Give the configuration a new version now, whatever changed it (e.g. SQL run by hand)."""
    _write_version(using)
    _announce_on_commit(using)


def _write_version(using: str) -> None:
    ConfigurationVersion.objects.using(using).update_or_create(
        pk=VERSION_ROW_ID, defaults={"token": secrets.token_hex(16)}
    )


def _announce_on_commit(using: str) -> None:
    connection = connections[using]
    if not connection.in_atomic_block:
        announce()
        return
    setattr(connection, UNCOMMITTED_ATTR, True)
    # One announcement per transaction, however many rows it writes.
    if not any(entry[1] is announce for entry in connection.run_on_commit):
        transaction.on_commit(announce, using=using)
