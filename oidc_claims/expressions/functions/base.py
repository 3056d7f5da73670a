"""What a library function is, and the argument checks the functions share.

A function is called as ``impl(run, *arguments)``. It may raise TypeError or ValueError
with a message naming the argument; the compiler turns those (and any other exception)
into ExpressionEvaluationError prefixed with the function's name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from oidc_claims.expressions.values import described, is_array


@dataclass(frozen=True)
class Function:
    name: str
    impl: Callable[..., Any]
    min_args: int
    # None: any number of arguments from min_args on.
    max_args: int | None
    # Positions of arguments that are regular expressions; literal ones compile at save time.
    regex_args: tuple[int, ...] = ()
    # Also callable as a method of ``user`` (``user.isMemberOfGroupName("x")``).
    user_method: bool = False
    # Reads the user (its groups): an expression calling it means nothing without a user.
    reads_user: bool = False
    # Extra arity rule beyond min/max: returns an error message or None.
    arity_check: Callable[[int], str | None] | None = None

    def arity_error(self, count: int) -> str | None:
        if count < self.min_args or (self.max_args is not None and count > self.max_args):
            return f"{self.name} takes {self.describe_arity()}, not {count}"
        if self.arity_check is not None:
            return self.arity_check(count)
        return None

    def describe_arity(self) -> str:
        if self.max_args is None:
            return f"at least {self.min_args} argument{'s' if self.min_args != 1 else ''}"
        if self.min_args == self.max_args:
            return f"{self.min_args} argument{'s' if self.min_args != 1 else ''}"
        return f"{self.min_args} to {self.max_args} arguments"


@dataclass(frozen=True)
class Precompiled:
    """An argument prepared at compile time (a literal regular expression)."""

    value: Any


def string_arg(value: Any, position: int) -> str:
    if not isinstance(value, str):
        raise TypeError(f"argument {position} must be a string, not {described(value)}")
    return value


def array_arg(value: Any, position: int) -> list[Any] | tuple[Any, ...]:
    """An array argument; null counts as an empty array."""
    if value is None:
        return []
    if not is_array(value):
        raise TypeError(f"argument {position} must be an array, not {described(value)}")
    return value


def int_arg(value: Any, position: int) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise TypeError(f"argument {position} must be a whole number, not {described(value)}")


def limit_arg(value: Any, position: int) -> int:
    limit = int_arg(value, position)
    if limit < 1:
        raise ValueError(f"argument {position} (the limit) must be at least 1, not {limit}")
    return limit
