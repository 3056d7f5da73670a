"""A change to the claim configuration applied, looked at, and undone: the ground of dry runs.

The impact preview, the claim tests run before a save and the dry runs of imports and
rollbacks all need the tokens a change *would* produce. Rather than a second implementation
of the configuration, the change is written for real inside a transaction that is always
rolled back: the engine sees the uncommitted rows (and compiles them privately for this
thread, see ``definition_cache``), every builder runs unchanged, and nothing is committed,
announced or recorded.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import router, transaction

from oidc_claims.models import ClaimDefinition


class _Undo(Exception):
    """Leaves the pending change's transaction by rolling it back."""


@contextmanager
def pending_change(using: str | None = None) -> Iterator[None]:
    """Inside the block, the writes made are seen by this thread only; on exit they are undone.

    Usage::

        with pending_change():
            form.save()
            after = build_preview(...)

    An exception raised in the block rolls back too, and propagates.
    """
    alias = using or router.db_for_write(ClaimDefinition)
    try:
        with transaction.atomic(using=alias):
            yield
            raise _Undo
    except _Undo:
        pass
