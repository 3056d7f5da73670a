"""Rollback: make the claim configuration that of an earlier revision, recorded as a new one.

The revision's snapshot is applied as a *replace* (``transfer.importer.replace_configuration``):
definitions and app profiles it does not list are deleted, every entry is validated as an
import validates it, and anything invalid (an application deleted since, a claim name now
taken) refuses the whole rollback with the reasons, changing nothing.

To see what a rollback would do to tokens without doing it, apply the snapshot inside
``pending_change()``::

    with pending_change():
        replace_configuration(revision.snapshot)
        after = build_preview(...)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import router, transaction

from oidc_claims.models.revisions import Revision
from oidc_claims.models.write_lock import lock_configuration
from oidc_claims.revisions.context import Channel, change_context, current_change
from oidc_claims.revisions.recorder import record_revision
from oidc_claims.transfer.importer import ImportRejected, ImportReport, replace_configuration


class RollbackRefused(Exception):
    """The rollback would leave an invalid configuration; nothing was changed."""

    def __init__(self, revision: Revision, errors: list[str]) -> None:
        self.revision = revision
        self.errors = errors
        super().__init__(
            f"Rollback to revision {revision.pk} refused, nothing was changed: "
            + "; ".join(errors)
        )


@dataclass
class RollbackResult:
    """What a rollback did (or, in a dry run, would do)."""

    target: Revision
    report: ImportReport
    # The revision recording the rollback; None in a dry run, or when the configuration
    # already was the target's.
    revision: Revision | None

    @property
    def dry_run(self) -> bool:
        return self.report.dry_run


def rollback_to(
    revision: Revision,
    *,
    comment: str = "",
    dry_run: bool = False,
    user: Any = None,
    client_id: str = "",
) -> RollbackResult:
    """Restore ``revision``'s configuration and record it as a new revision (channel
    "rollback"); raise RollbackRefused with every reason when it cannot be restored.

    The author is ``user`` (and ``client_id``), else the one of the change context open.
    """
    outer = current_change()
    if user is None and outer is not None:
        user, client_id = outer.user, client_id or outer.client_id
    context = change_context(Channel.ROLLBACK, user=user, client_id=client_id, comment=comment)
    with context as ctx, transaction.atomic(using=router.db_for_write(Revision)):
        lock_configuration()
        # Recorders prune under the same lock: a revision seen now stays until the commit.
        if not Revision.objects.filter(pk=revision.pk).exists():
            raise RollbackRefused(
                revision,
                [
                    f"Revision {revision.pk} no longer exists: retention deleted it "
                    "(OIDC_CLAIMS['REVISIONS_KEEP'], ['REVISIONS_KEEP_DAYS'])."
                ],
            )
        try:
            report = replace_configuration(revision.snapshot, dry_run=dry_run)
        except ImportRejected as exc:
            raise RollbackRefused(revision, exc.errors) from exc
        recorded = None
        if not dry_run:
            # Recorded in the rollback's own transaction, so that the new revision is known
            # here and names the revision it restores.
            recorded = record_revision(
                channel=Channel.ROLLBACK,
                user=ctx.user,
                author=ctx.author_label(),
                client_id=ctx.client_id,
                comment=ctx.comment,
                restores=revision,
            )
    return RollbackResult(target=revision, report=report, revision=recorded)
