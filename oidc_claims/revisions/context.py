"""The change context: who is changing the claim configuration, through which channel, and why.

Views, actions and commands open one around the work they do::

    with change_context(channel=Channel.ADMIN, user=request.user, comment="..."):
        ...

Every write to a claim table made inside the block is recorded (``revisions.recorder``) with
this author; writes made outside any block are recorded as channel "orm" (shell, scripts,
data migrations). A context variable, so threads and async tasks each see their own.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from oidc_claims.models.revisions import Channel

# Longest change comment (characters), in the admin, the API and the commands alike.
COMMENT_MAX_LENGTH = 1000


def comment_problem(comment: str) -> str | None:
    """Why ``comment`` cannot be kept with a revision, or None."""
    if len(comment) > COMMENT_MAX_LENGTH:
        return f"give at most {COMMENT_MAX_LENGTH} characters (found {len(comment)})."
    if "\x00" in comment:
        return "remove the NUL character (\\u0000); the database cannot store it."
    return None


@dataclass
class ChangeContext:
    """Who changes the configuration; views fill in the user once they have authenticated it.

    ``author`` is the label kept with the revision when the user is gone: a username, an API
    client's client id, or a command's name.
    """

    channel: str = Channel.ORM
    user: Any = None
    author: str = ""
    client_id: str = ""
    comment: str = ""
    # Set by the recorder: a write made in the block was committed, and the block records
    # one revision for all of them when it ends.
    committed_writes: bool = field(default=False, repr=False)
    open: bool = field(default=False, repr=False)
    revision: Any = field(default=None, repr=False)

    def set_user(self, user: Any) -> None:
        """The authenticated user (anonymous users are no author)."""
        if user is not None and getattr(user, "is_authenticated", False):
            self.user = user
            self.author = self.author or user.get_username()

    def author_label(self) -> str:
        if self.author:
            return self.author
        return f"client {self.client_id}" if self.client_id else ""


_current: ContextVar[ChangeContext | None] = ContextVar("oidc_claims_change", default=None)


def current_change() -> ChangeContext | None:
    """The change context open in this thread or task, or None (channel "orm")."""
    return _current.get()


@contextmanager
def change_context(
    channel: str,
    *,
    user: Any = None,
    author: str = "",
    client_id: str = "",
    comment: str = "",
) -> Iterator[ChangeContext]:
    """Attribute the configuration changes made in the block; one revision records them all.

    Nested blocks: the innermost decides (a rollback started from an admin view is a rollback).
    """
    context = ChangeContext(
        channel=channel, author=author, client_id=client_id, comment=comment[:COMMENT_MAX_LENGTH]
    )
    context.set_user(user)
    context.open = True
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)
        context.open = False
        if context.committed_writes:
            # Imported here to break the cycle: the recorder reads current_change() from here.
            from oidc_claims.revisions.recorder import record_for

            record_for(context)
