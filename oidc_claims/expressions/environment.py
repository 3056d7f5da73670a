"""What an expression can see: the contract between the evaluator and its caller.

The evaluator reads nothing but what an :class:`Environment` hands it. Objects that are
not plain JSON values (dict, list, str, int, float, bool, None) must be
:class:`ExpressionObject` instances, which decide themselves which properties are
readable. This is what keeps secrets out of reach: there is no generic attribute access.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol


class ExpressionObject:
    """A read-only object exposed to expressions (``user``, ``app``, ``access``)."""

    def get_property(self, name: str) -> Any:
        """Return the value of ``name`` (a JSON value or another ExpressionObject).

        Raise :class:`~oidc_claims.expressions.errors.ExpressionEvaluationError` when the
        property does not exist or may not be read.
        """
        raise NotImplementedError


@dataclass(frozen=True)
class GroupInfo:
    """One of the user's groups, as group functions see it."""

    id: int | str
    name: str


class Environment(Protocol):
    """The root of every expression evaluation."""

    def variable(self, name: str) -> Any:
        """Return the top-level variable ``name`` (``user``, ``app``, ``access``).

        ``user`` is None when there is no user (client credentials). Unknown names raise
        ExpressionEvaluationError.
        """

    def groups(self) -> list[GroupInfo]:
        """The user's groups (empty with no user). Loaded at most once per environment."""

    def now(self) -> datetime:
        """The current time (timezone-aware, UTC), fixed for one evaluation context."""
