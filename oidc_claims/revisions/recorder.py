"""Recording revisions: one per committed change of the claim configuration, through any channel.

The change watch reports every write to a claim table made through Django
(``change_watch.claim_rows_written``). The first write of a transaction registers one
on-commit callback, carrying the change context open at that moment; after the commit it
snapshots the configuration (the export format), compares it with the latest revision's
snapshot, and writes a revision only when they differ. An import of 500 claims is therefore
one revision, and a save that changes nothing is none. Inside a ``change_context`` block the
commits of the block are recorded once, when the block ends (an admin action saving claims
one by one is one revision).

Writes made outside Django (SQL in psql) are folded into the next revision recorded, or
recorded at once by ``manage.py record_claim_revision``. Token requests never write claim
rows, so nothing here runs on the token path.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.db import connections, router, transaction
from django.db.backends.signals import connection_created
from django.db.models.signals import post_save, pre_migrate
from django.dispatch import receiver
from django.utils import timezone

from oidc_claims.conf import claims_settings
from oidc_claims.engine.change_watch import claim_rows_written
from oidc_claims.models import AppProfile, ClaimDefinition
from oidc_claims.models.revisions import Revision
from oidc_claims.models.write_lock import lock_configuration
from oidc_claims.revisions.context import ChangeContext, Channel, current_change
from oidc_claims.revisions.diff import EMPTY_CONFIGURATION, configuration_diff, touched_names
from oidc_claims.transfer.format import export_configuration

logger = logging.getLogger("oidc_claims.revisions")

# Set on a connection whose autocommitted write awaits post_save to be recorded.
PENDING_ATTR = "oidc_claims_revision_pending"


class _RecordOnCommit:
    """The on-commit callback of one transaction that wrote claim rows."""

    def __init__(self, context: ChangeContext) -> None:
        self.context = context

    def __call__(self) -> None:
        committed(self.context)


@receiver(claim_rows_written, dispatch_uid="oidc_claims_revision_note_write")
def note_write(*, using: str, cursor: Any = None, **kwargs: Any) -> None:
    """A claim table was written on ``using``: record a revision once the write commits."""
    if _Migrating.active:
        return  # recorded after the last migration (record_after_migrate)
    context = current_change() or ChangeContext()
    connection = connections[using]
    if not connection.in_atomic_block:
        # Autocommit: the statement is committed. Its cursor may still hold the rows of
        # INSERT ... RETURNING, which SQLite cannot leave pending to begin the recorder's
        # transaction: then the model's post_save records, once the ORM has read them.
        if getattr(cursor, "description", None) is None:
            committed(context)
        else:
            setattr(connection, PENDING_ATTR, context)
        return
    for entry in connection.run_on_commit:
        if isinstance(entry[1], _RecordOnCommit):
            # A transaction that a view or command joined after plain ORM writes is theirs.
            if entry[1].context.channel == Channel.ORM and context.channel != Channel.ORM:
                entry[1].context = context
            return
    transaction.on_commit(_RecordOnCommit(context), using=using)


@receiver(post_save, sender=ClaimDefinition, dispatch_uid="oidc_claims_revision_claim_saved")
@receiver(post_save, sender=AppProfile, dispatch_uid="oidc_claims_revision_profile_saved")
def record_pending(*, using: str, **kwargs: Any) -> None:
    """post_save: record an autocommitted insert whose returned rows are read now."""
    _record_pending(connections[using])


def record_pending_before(execute: Any, sql: Any, params: Any, many: bool, context: dict) -> Any:
    """Execute wrapper: before the next statement, record an autocommitted insert whose
    returned rows have been read since. ``bulk_create`` sends no post_save, and from Django
    6.1 on runs a single batch without a transaction."""
    _record_pending(context["connection"])
    return execute(sql, params, many, context)


def _record_pending(connection: Any) -> None:
    context = getattr(connection, PENDING_ATTR, None)
    if context is None:
        return
    setattr(connection, PENDING_ATTR, None)  # first: recording runs statements too
    if connection.in_atomic_block:
        # The insert was committed before this transaction began: record once it ends.
        transaction.on_commit(lambda: committed(context), using=connection.alias)
    else:
        committed(context)


@receiver(connection_created, dispatch_uid="oidc_claims_revision_pending_wrapper")
def _install(*, connection: Any, **kwargs: Any) -> None:
    if record_pending_before not in connection.execute_wrappers:
        connection.execute_wrappers.append(record_pending_before)


def committed(context: ChangeContext) -> None:
    """Writes attributed to ``context`` were committed: record now, or when its block ends."""
    if context.open:
        context.committed_writes = True
    else:
        record_for(context)


def record_for(context: ChangeContext) -> Revision | None:
    """Record the configuration as changed by ``context``; a failure is logged, not raised.

    The change is committed already: failing the request that made it would only hide that
    it was made. The next revision recorded includes it.
    """
    try:
        context.revision = record_revision(
            channel=context.channel,
            user=context.user,
            author=context.author_label(),
            client_id=context.client_id,
            comment=context.comment,
        )
    except Exception:
        logger.exception(
            "Recording a revision of the claim configuration failed; the change is committed "
            "and the next revision will include it (or run manage.py record_claim_revision)."
        )
        return None
    return context.revision


def record_revision(
    *,
    channel: str = Channel.ORM,
    user: Any = None,
    author: str = "",
    client_id: str = "",
    comment: str = "",
    restores: Revision | None = None,
) -> Revision | None:
    """Record the configuration as it is now, if it differs from the latest revision.

    Returns the new revision, or None when nothing changed since the latest one (an empty
    configuration without history counts as recorded). Inside a transaction, the revision
    is part of it.
    """
    alias = router.db_for_write(Revision)
    with transaction.atomic(using=alias):
        # Recorders take turns, and wait for writers still running, so that each compares
        # with the latest revision and none records a configuration half written.
        lock_configuration()
        snapshot = export_configuration(include_tests=False)
        latest = Revision.objects.using(alias).order_by("-pk").only("snapshot").first()
        base = latest.snapshot if latest is not None else EMPTY_CONFIGURATION
        if snapshot == base:
            return None
        diff = configuration_diff(base, snapshot)
        revision = Revision.objects.using(alias).create(
            channel=channel,
            user=user if getattr(user, "pk", None) is not None else None,
            author=author[:255],
            client_id=client_id[:255],
            comment=comment,
            restores=restores,
            diff=diff,
            snapshot=snapshot,
            touched="".join(f"\n{name}" for name in touched_names(diff)) + "\n",
        )
        prune_revisions(revision)
    return revision


def prune_revisions(latest: Revision) -> int:
    """Delete the revisions beyond ``REVISIONS_KEEP`` and older than ``REVISIONS_KEEP_DAYS``.

    The latest revision always stays: it is what the next change is compared with.
    Returns how many were deleted.
    """
    revisions = Revision.objects.using(latest._state.db).exclude(pk=latest.pk)
    keep = claims_settings.REVISIONS_KEEP
    days = claims_settings.REVISIONS_KEEP_DAYS
    deleted = 0
    if keep is not None:
        newest = (
            Revision.objects.using(latest._state.db)
            .order_by("-pk")
            .values_list("pk", flat=True)[: max(int(keep), 1)]
        )
        oldest_kept = min(newest, default=latest.pk)
        deleted += revisions.filter(pk__lt=oldest_kept).delete()[0]
    if days is not None:
        cutoff = timezone.now() - timedelta(days=float(days))
        deleted += revisions.filter(created__lt=cutoff).delete()[0]
    return deleted


class _Migrating:
    """Whether ``migrate`` runs in this process: its data migrations write with historical
    models into tables the current models (and the revision table) may not match yet, so
    their writes are recorded once, after the last migration."""

    active = False


@receiver(pre_migrate, dispatch_uid="oidc_claims_revision_pre_migrate")
def _migration_started(**kwargs: Any) -> None:
    _Migrating.active = True


def record_after_migrate(**kwargs: Any) -> None:
    """post_migrate (after the standard claims are seeded): one revision for what the
    migrations changed; a site that starts recording with a configuration gets it as its
    first revision, so that its next change shows only what that change did."""
    _Migrating.active = False
    first = not Revision.objects.using(kwargs.get("using", "default")).exists()
    record_revision(
        channel=Channel.ORM,
        author="migrate",
        comment=(
            "The configuration when revisions started to be recorded."
            if first
            else "Changed by migrations."
        ),
    )
