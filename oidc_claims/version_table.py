"""The one-row table that holds the claim-configuration version: the database's word on it."""

from __future__ import annotations

from django.db import models
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
    """The version stored in the database: one primary-key lookup."""
    token = (
        ConfigurationVersion.objects.using(using)
        .filter(pk=VERSION_ROW_ID)
        .values_list("token", flat=True)
        .first()
    )
    return MISSING_VERSION if token is None else token

