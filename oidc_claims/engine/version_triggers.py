"""Database triggers that give the configuration a new version on every write, per vendor.

Every INSERT, UPDATE and DELETE (and TRUNCATE on PostgreSQL) of a watched table replaces the
token of the version row, whatever made the write: the ORM, ``QuerySet.update``, a data
migration, raw SQL, another program. Migrations call :func:`install` and :func:`uninstall`
with the table names they watch.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

VERSION_TABLE = "oidc_claims_configurationversion"

# Vendors with triggers. Elsewhere the app still announces every change made through Django
# (oidc_claims.engine.change_watch), and bump() writes the version row itself.
TRIGGER_VENDORS = frozenset({"sqlite", "postgresql"})

_SQLITE_TRIGGER = """
CREATE TRIGGER IF NOT EXISTS "{name}" AFTER {event} ON "{table}"
BEGIN
    INSERT INTO "{version}" (id, token) VALUES (1, lower(hex(randomblob(16))))
    ON CONFLICT (id) DO UPDATE SET token = excluded.token;
END
"""

_POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION oidc_claims_configuration_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "{version}" (id, token) VALUES (1, md5(random()::text || clock_timestamp()::text))
    ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token;
    RETURN NULL;
END
$$
"""

# One bump per statement: a bulk update of 500 rows replaces the token once.
_POSTGRES_TRIGGER = """
CREATE TRIGGER "{name}" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}"
FOR EACH STATEMENT EXECUTE FUNCTION oidc_claims_configuration_changed()
"""

_SQLITE_EVENTS = ("INSERT", "UPDATE", "DELETE")


def _trigger_name(table: str, event: str = "") -> str:
    suffix = f"_{event.lower()}" if event else ""
    return f"{table}_version{suffix}"


def install_statements(vendor: str, tables: Iterable[str]) -> list[str]:
    """The SQL that makes every write to ``tables`` replace the version token."""
    if vendor == "sqlite":
        return [
            _SQLITE_TRIGGER.format(
                name=_trigger_name(table, event), event=event, table=table, version=VERSION_TABLE
            )
            for table in tables
            for event in _SQLITE_EVENTS
        ]
    if vendor == "postgresql":
        return [_POSTGRES_FUNCTION.format(version=VERSION_TABLE)] + [
            f'DROP TRIGGER IF EXISTS "{_trigger_name(table)}" ON "{table}"'
            for table in tables
        ] + [_POSTGRES_TRIGGER.format(name=_trigger_name(table), table=table) for table in tables]
    return []


def uninstall_statements(vendor: str, tables: Iterable[str]) -> list[str]:
    """The SQL that removes what :func:`install_statements` created for ``tables``."""
    if vendor == "sqlite":
        return [
            f'DROP TRIGGER IF EXISTS "{_trigger_name(table, event)}"'
            for table in tables
            for event in _SQLITE_EVENTS
        ]
    if vendor == "postgresql":
        return [f'DROP TRIGGER IF EXISTS "{_trigger_name(table)}" ON "{table}"' for table in tables]
    return []


def install(schema_editor: Any, tables: Iterable[str]) -> None:
    """Create the triggers on ``tables`` (a migration's RunPython step)."""
    for statement in install_statements(schema_editor.connection.vendor, tables):
        schema_editor.execute(statement, params=None)


def uninstall(schema_editor: Any, tables: Iterable[str]) -> None:
    """Drop the triggers on ``tables`` (the reverse step)."""
    for statement in uninstall_statements(schema_editor.connection.vendor, tables):
        schema_editor.execute(statement, params=None)


def drop_function(schema_editor: Any) -> None:
    """Drop the PostgreSQL trigger function (once no trigger uses it)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "DROP FUNCTION IF EXISTS oidc_claims_configuration_changed()", params=None
        )
