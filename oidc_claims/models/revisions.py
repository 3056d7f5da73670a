"""The Revision model: one committed change of the claim configuration, with a snapshot."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """How a change reached the configuration."""

    ADMIN = "admin", _("Admin")
    API = "api", _("API")
    COMMAND = "command", _("Management command")
    ROLLBACK = "rollback", _("Rollback")
    ORM = "orm", _("Code (shell, scripts, migrations)")


class Revision(models.Model):
    """The claim configuration after a change: who made it, how, and what changed.

    ``snapshot`` is the whole configuration in the export format
    (``transfer.format.export_configuration``), so that any revision can be restored;
    ``diff`` is what changed since the revision before (``revisions.diff``).
    """

    created = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    # Kept as text: the user may be deleted, and API clients and commands are no users.
    author = models.CharField(_("author"), max_length=255, blank=True)
    client_id = models.CharField(_("API client"), max_length=255, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    restores = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("restores revision"),
        help_text=_("The revision a rollback restored."),
    )
    diff = models.JSONField(_("changes"), default=dict)
    snapshot = models.JSONField(_("configuration"))
    # "\n"-separated claim names and client ids the diff touches, framed by "\n": a
    # substring filter finds a claim's history on every database (SQLite has no JSON
    # containment lookup).
    touched = models.TextField(_("touched"), blank=True, editable=False)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("claim configuration revision")
        verbose_name_plural = _("claim configuration revisions")
        # Revisions are written by the recorder only and never edited.
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"Revision {self.pk}"
