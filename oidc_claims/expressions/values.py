"""The value model: JSON values, their type names, equality, ordering, truth and arithmetic.

Rules (following Okta's SpEL base where it is sensible for claims):

- ``==``/``!=`` compare any two values; values of different types are simply unequal
  (``1 == 1.0`` is true, ``true == 1`` and ``"1" == 1`` are false). Arrays and objects are
  compared element by element. An object such as ``user`` equals only itself.
- ``< > <= >=`` compare two numbers or two strings (by code point); anything else is an error.
- Conditions (``&&``, ``||``, ``!``, ``?:``) take booleans; ``null`` counts as false; any
  other value is an error, so a typo cannot silently turn into "true".
- ``+`` joins strings when either side is a string (``null`` adds nothing, numbers and
  booleans are written as in JSON), adds numbers, and concatenates two arrays.
- ``- * / %`` take numbers; ``/`` and ``%`` on two integers truncate toward zero like Java.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from .environment import ExpressionObject
from .errors import ExpressionEvaluationError

# Integers are kept within a signed 64-bit range so every result fits common JSON parsers.
MAX_INT = 2**63 - 1


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "array"
    if isinstance(value, Mapping):
        return "object"
    if isinstance(value, ExpressionObject):
        return "object reference"
    return "unsupported value"


def described(value: Any) -> str:
    """The type of ``value`` with its article, for messages: "a string", "an array", "null"."""
    name = type_name(value)
    if name == "null":
        return name
    return ("an " if name[0] in "aeiou" else "a ") + name


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_array(value: Any) -> bool:
    return isinstance(value, (list, tuple))


def checked_number(value: int | float) -> int | float:
    """Refuse numbers that JSON cannot carry (NaN, infinities, integers beyond 64 bits)."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ExpressionEvaluationError("the result of the arithmetic is not a finite number")
    if isinstance(value, int) and abs(value) > MAX_INT:
        raise ExpressionEvaluationError("the result of the arithmetic is too large (over 64 bits)")
    return value


def to_text(value: Any) -> str:
    """How a scalar is written when joined into a string."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    raise ExpressionEvaluationError(f"cannot turn {described(value)} into text")


def truth(value: Any, what: str = "a condition") -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    raise ExpressionEvaluationError(f"{what} must be true or false, not {described(value)}")


def equal(left: Any, right: Any) -> bool:
    """Deep JSON equality without Python's ``True == 1`` surprise (iterative, no recursion)."""
    pending = [(left, right)]
    while pending:
        a, b = pending.pop()
        if type(a) is str and type(b) is str:
            # The common case (scopes, group names), decided as the last branch would.
            if a != b:
                return False
        elif isinstance(a, ExpressionObject) or isinstance(b, ExpressionObject):
            if a is not b:
                return False
        elif is_number(a) and is_number(b):
            if a != b:
                return False
        elif is_array(a) and is_array(b):
            if len(a) != len(b):
                return False
            pending.extend(zip(a, b, strict=True))
        elif isinstance(a, Mapping) and isinstance(b, Mapping):
            if set(a) != set(b):
                return False
            pending.extend((a[key], b[key]) for key in a)
        elif type_name(a) != type_name(b) or a != b:
            return False
    return True


def order(operator: str, left: Any, right: Any) -> bool:
    comparable = (is_number(left) and is_number(right)) or (
        isinstance(left, str) and isinstance(right, str)
    )
    if not comparable:
        raise ExpressionEvaluationError(
            f"cannot compare {described(left)} with {described(right)} using {operator}"
        )
    if operator == "<":
        return left < right
    if operator == ">":
        return left > right
    if operator == "<=":
        return left <= right
    return left >= right


def add(left: Any, right: Any) -> Any:
    if isinstance(left, str) or isinstance(right, str):
        other = right if isinstance(left, str) else left
        if is_array(other) or isinstance(other, (Mapping, ExpressionObject)):
            raise ExpressionEvaluationError(
                f"cannot add {described(left)} and {described(right)}; "
                "use String.join or Arrays.toCsvString to turn an array into text"
            )
        return to_text(left) + to_text(right)
    if is_number(left) and is_number(right):
        return checked_number(left + right)
    if is_array(left) and is_array(right):
        return [*left, *right]
    raise ExpressionEvaluationError(f"cannot add {described(left)} and {described(right)}")


def arithmetic(operator: str, left: Any, right: Any) -> int | float:
    if not (is_number(left) and is_number(right)):
        raise ExpressionEvaluationError(
            f"{operator} needs two numbers, not {described(left)} and {described(right)}"
        )
    if operator == "-":
        return checked_number(left - right)
    if operator == "*":
        return checked_number(left * right)
    if right == 0:
        raise ExpressionEvaluationError("division by zero")
    if isinstance(left, int) and isinstance(right, int):
        quotient = abs(left) // abs(right)
        if operator == "/":
            return checked_number(quotient if (left < 0) == (right < 0) else -quotient)
        remainder = abs(left) - quotient * abs(right)
        return remainder if left >= 0 else -remainder
    if operator == "/":
        return checked_number(left / right)
    return checked_number(math.fmod(left, right))


def negate(value: Any) -> int | float:
    if not is_number(value):
        raise ExpressionEvaluationError(f"cannot negate {described(value)}")
    return checked_number(-value)


def read_property(value: Any, name: str) -> Any:
    """``value.name``: objects decide themselves; JSON objects by key; null stays null."""
    if value is None:
        return None
    if isinstance(value, ExpressionObject):
        return value.get_property(name)
    if isinstance(value, Mapping):
        return value.get(name)
    raise ExpressionEvaluationError(f"cannot read property {name!r} of {described(value)}")


def to_json(value: Any) -> Any:
    """A fresh JSON copy of ``value`` (tuples become lists), or an error naming what is not JSON."""
    root: list[Any] = [None]
    pending: list[tuple[Any, Any, Any]] = [(value, root, 0)]
    while pending:
        item, parent, key = pending.pop()
        if item is None or isinstance(item, (str, bool)):
            parent[key] = item
        elif is_number(item):
            parent[key] = checked_number(item)
        elif is_array(item):
            copy: list[Any] = [None] * len(item)
            parent[key] = copy
            pending.extend((element, copy, index) for index, element in enumerate(item))
        elif isinstance(item, Mapping):
            mapping: dict[str, Any] = {}
            parent[key] = mapping
            for name, element in item.items():
                if not isinstance(name, str):
                    raise ExpressionEvaluationError(
                        "the result is not a JSON value: an object key is not text"
                    )
                mapping[name] = None
                pending.append((element, mapping, name))
        else:
            raise ExpressionEvaluationError(
                f"the result is not a JSON value: {described(item)} cannot go into a token "
                "(read one of its properties instead, e.g. user.email)"
            )
    return root[0]
