"""The one-row table that holds the claim-configuration version: the database's word on it."""

from __future__ import annotations

from django.db import connections, models
from django.utils.translation import gettext_lazy as _

# The primary key of the only row.
VERSION_ROW_ID = 1

# The version read when the row is missing (a flushed database); the next change inserts it.
MISSING_VERSION = "none"


class ConfigurationVersion(models.Model):
    """A token that database triggers replace on every write to a claim-configuration table.

    The token is random, never a counter: a transaction that is rolled back cannot hand its
    version to different rows committed later.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=VERSION_ROW_ID)
    token = models.CharField(_("token"), max_length=64)

    class Meta:
        verbose_name = _("claim configuration version")
        verbose_name_plural = _("claim configuration versions")
        default_permissions = ()

    def __str__(self) -> str:
        return self.token


def read_version(using: str = "default") -> str:
    """The version stored in the database: one primary-key lookup.

    In SQL written once rather than through the ORM: the query runs for every token request
    on a site without a shared cache, and building it was most of its cost (~0.15 ms).
    """
    connection = connections[using]
    sql = _SELECT_TOKEN.get(connection.vendor)
    if sql is None:
        quote = connection.ops.quote_name
        meta = ConfigurationVersion._meta
        # Only the model's own names, quoted; the value is a parameter.
        token, table, pk = meta.get_field("token").column, meta.db_table, meta.pk.column
        sql = f"SELECT {quote(token)} FROM {quote(table)} WHERE {quote(pk)} = %s"  # noqa: S608
        _SELECT_TOKEN[connection.vendor] = sql
    with connection.cursor() as cursor:
        cursor.execute(sql, [VERSION_ROW_ID])
        row = cursor.fetchone()
    return MISSING_VERSION if row is None else row[0]


# The query of read_version, by database vendor (identifiers are quoted per vendor).
_SELECT_TOKEN: dict[str, str] = {}
