"""A fake expression Environment: a user with an allow-list of readable properties."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from oidc_claims.expressions import (
    ExpressionEvaluationError,
    ExpressionObject,
    GroupInfo,
    compile_expression,
)

NOW = datetime(2024, 5, 1, 12, 0, 0, 123000, tzinfo=timezone.utc)


class SecretHolder:
    """Stands in for a Django user: it has secrets that must never be readable."""

    password = "pbkdf2_sha256$secret"
    _state = "internal"

    def save(self) -> None:
        raise AssertionError("an expression must never call a method of the user")


class FakeObject(ExpressionObject):
    """Reads only the allow-listed properties, like the real ClaimContext objects do."""

    def __init__(self, label: str, properties: dict[str, Any], wrapped: Any = None) -> None:
        self._label = label
        self._properties = properties
        self._wrapped = wrapped
        self.reads: list[str] = []

    def get_property(self, name: str) -> Any:
        self.reads.append(name)
        if name not in self._properties:
            raise ExpressionEvaluationError(f"{self._label} has no readable property {name!r}")
        return self._properties[name]


class FakeEnvironment:
    """Implements the Environment protocol from plain data."""

    def __init__(
        self,
        *,
        user: dict[str, Any] | None = None,
        app: dict[str, Any] | None = None,
        access: dict[str, Any] | None = None,
        groups: list[GroupInfo] | None = None,
        now: datetime = NOW,
    ) -> None:
        self.user = None if user is None else FakeObject("user", user, wrapped=SecretHolder())
        self.app = FakeObject("app", app or {})
        self.access = FakeObject("access", access or {})
        self._groups = list(groups or [])
        self._now = now
        self.group_loads = 0

    def variable(self, name: str) -> Any:
        if name == "user":
            return self.user
        if name == "app":
            return self.app
        if name == "access":
            return self.access
        raise ExpressionEvaluationError(f"unknown variable {name!r}")

    def groups(self) -> list[GroupInfo]:
        self.group_loads += 1
        return list(self._groups) if self.user is not None else []

    def now(self) -> datetime:
        return self._now


def example_environment() -> FakeEnvironment:
    """The environment the function reference's examples are written for."""
    from oidc_claims.expressions.reference import EXAMPLE_CONTEXT

    return FakeEnvironment(
        user=EXAMPLE_CONTEXT["user"],
        app=EXAMPLE_CONTEXT["app"],
        access=EXAMPLE_CONTEXT["access"],
        groups=[
            GroupInfo(id=group["id"], name=group["name"]) for group in EXAMPLE_CONTEXT["groups"]
        ],
        now=datetime.fromisoformat(EXAMPLE_CONTEXT["now"]),
    )


def evaluate(text: str, env: Any) -> Any:
    """Compile ``text`` and evaluate it in ``env``."""
    return compile_expression(text).evaluate(env)


def fails(text: str, env: Any) -> str:
    """The message of the evaluation error that ``text`` ends in (fails the test otherwise)."""
    import pytest

    with pytest.raises(ExpressionEvaluationError) as caught:
        evaluate(text, env)
    return str(caught.value)
