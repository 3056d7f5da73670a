"""Every write to a claim table made through Django announces a configuration change.

An execute wrapper on each database connection sees every statement: the ORM's saves and
deletes, ``QuerySet.update``, ``bulk_create``, m2m changes, data migrations with historical
models, ``cursor.execute``. Signals miss most of these. Database triggers change the version
in the database (the authority); this wrapper tells the shared cache, so that processes
learn of it without a query.
"""

from __future__ import annotations

import functools
from typing import Any

from django.db.backends.signals import connection_created
from django.dispatch import Signal, receiver

from oidc_claims.engine.config_version import changed
from oidc_claims.models import AppProfile, ClaimDefinition

_WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "TRUNCATE", "REPLACE")

claim_rows_written = Signal()
"""Sent after every write statement to a claim table, with ``using`` (the database alias) and
``cursor`` (whose rows, for INSERT ... RETURNING, are not fetched yet); the revision recorder
listens."""


@functools.cache
def watched_tables() -> tuple[str, ...]:
    """The tables whose rows make up the claim configuration (a write to one is a change).

    A table added here needs the version triggers too (``version_triggers.install`` in a
    migration).
    """
    return (
        ClaimDefinition._meta.db_table,
        ClaimDefinition.applications.through._meta.db_table,
        AppProfile._meta.db_table,
    )


def writes_claim_table(sql: str) -> bool:
    """Whether ``sql`` is a write statement naming a watched table."""
    head = sql.lstrip()[:8].upper()
    if not head.startswith(_WRITE_VERBS):
        return False
    return any(table in sql for table in watched_tables())


def watch_claim_writes(execute: Any, sql: Any, params: Any, many: bool, context: dict) -> Any:
    """Execute wrapper: run the statement, then report a write to a claim table."""
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and writes_claim_table(sql):
        alias = context["connection"].alias
        changed(alias)
        claim_rows_written.send(sender=None, using=alias, cursor=context["cursor"])
    return result


@receiver(connection_created, dispatch_uid="oidc_claims_watch_claim_writes")
def _install(*, connection: Any, **kwargs: Any) -> None:
    if watch_claim_writes not in connection.execute_wrappers:
        # First: a wrapper pushed by an `execute_wrapper()` block open now is popped last.
        connection.execute_wrappers.insert(0, watch_claim_writes)
