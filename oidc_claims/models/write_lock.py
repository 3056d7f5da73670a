"""One writer of the claim configuration at a time, so that concurrent writers wait, not fail.

Two imports of the same file, or two API requests creating the same app profile, would
otherwise both see "missing" and both insert: the second fails on a unique constraint, or,
where duplicates are allowed (disabled definitions), leaves two rows.
"""

from __future__ import annotations

from django.db import connections, router

from oidc_claims.models import AppProfile, ClaimDefinition


def lock_configuration() -> None:
    """Inside ``transaction.atomic()``: wait until no other transaction writes the configuration.

    On PostgreSQL the claim definitions, their applications and the app profiles are locked
    in SHARE ROW EXCLUSIVE mode until the transaction ends: it conflicts with itself and with
    every write, not with reads, so token requests never wait. SQLite has one writer at a
    time; with ``"transaction_mode": "IMMEDIATE"`` in the database's OPTIONS (see the README)
    a transaction takes the write lock when it begins, so there is nothing more to do here.
    """
    connection = connections[router.db_for_write(ClaimDefinition)]
    if connection.vendor != "postgresql":
        return
    tables = (
        ClaimDefinition._meta.db_table,
        ClaimDefinition.applications.through._meta.db_table,
        AppProfile._meta.db_table,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"LOCK TABLE {', '.join(map(connection.ops.quote_name, tables))} "
            "IN SHARE ROW EXCLUSIVE MODE"
        )
