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
from collections.abc import Callable, Mapping
from itertools import repeat
from typing import Any

from oidc_claims.expressions.environment import ExpressionObject
from oidc_claims.expressions.errors import ExpressionEvaluationError
from oidc_claims.expressions.runtime import CHARACTERS_PER_STEP, NODE_STEPS, VALUE_MAX_DEPTH, Run

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


def is_container(value: Any) -> bool:
    """An array or a JSON object (the values that nest)."""
    return isinstance(value, (list, tuple, Mapping))


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


# Exact types whose own == is JSON equality when both sides have the same one.
_SCALAR_TYPES = frozenset({str, int, float, bool, type(None)})
_ARRAY, _OBJECT = "array", "object"


def equal(left: Any, right: Any, run: Run) -> bool:
    """Deep JSON equality without Python's ``True == 1`` surprise (iterative, no recursion).

    Charged to ``run`` as it goes: a step per pair of values compared and per object member,
    ``NODE_STEPS`` per pair of containers walked into, and a step per
    ``CHARACTERS_PER_STEP`` characters of equally long strings; nested deeper than
    ``VALUE_MAX_DEPTH`` is an error. The same object equals itself at the cost of one step.
    """
    kind = type(left)
    if kind is type(right) and kind in _SCALAR_TYPES:
        # The common case (scopes, group names), decided without the walk.
        if kind is str and len(left) == len(right):
            run.tick(1 + len(left) // CHARACTERS_PER_STEP)
        else:
            run.tick()
        return left == right
    allowance = run.allowance()
    cost = 0
    pending = [(left, right, 0)]
    while pending:
        a, b, depth = pending.pop()
        cost += 1
        if cost > allowance:
            run.tick(cost)
        if a is b:
            continue
        kind = type(a)
        if kind is type(b) and kind in _SCALAR_TYPES:
            if kind is str and len(a) == len(b):
                cost += len(a) // CHARACTERS_PER_STEP
            if a != b:
                break
            continue
        shape = _shape(a)
        if shape is None or shape is not _shape(b):
            if not _scalar_equal(a, b):
                break
            continue
        if len(a) != len(b):
            break
        if depth >= VALUE_MAX_DEPTH:
            _too_deep("compared")
        # Walking into a container costs as much as visiting a syntax node.
        cost += NODE_STEPS
        if shape is _ARRAY:
            pending.extend(zip(a, b, repeat(depth + 1, len(a)), strict=True))
        else:
            if a.keys() != b.keys():
                break
            cost += len(a)
            pending.extend((a[key], b[key], depth + 1) for key in a)
    else:
        run.tick(cost)
        return True
    run.tick(cost)
    return False


def _shape(value: Any) -> str | None:
    """``_ARRAY``, ``_OBJECT`` or None (a scalar or an object reference); exact types first."""
    kind = type(value)
    if kind is list or kind is tuple:
        return _ARRAY
    if kind is dict:
        return _OBJECT
    if kind in _SCALAR_TYPES:
        return None
    if isinstance(value, (list, tuple)):
        return _ARRAY
    if isinstance(value, Mapping):
        return _OBJECT
    return None


def _scalar_equal(a: Any, b: Any) -> bool:
    """``equal`` when at least one side is not an array or object."""
    if a is b:
        return True
    if isinstance(a, ExpressionObject) or isinstance(b, ExpressionObject):
        return False
    if is_number(a) and is_number(b):
        return a == b
    return type_name(a) == type_name(b) and a == b


def scalar_matcher(value: Any) -> Callable[[Any], bool] | None:
    """For a scalar ``value``, a test of ``equal(item, value)`` that needs no walk (the caller
    charges it); None for arrays, objects and object references."""
    if value is None or isinstance(value, bool):
        # null, true and false are single objects.
        return lambda item: item is value
    if is_number(value):
        return lambda item: is_number(item) and item == value
    if isinstance(value, str):
        return lambda item: isinstance(item, str) and item == value
    return None


def _too_deep(what: str) -> None:
    raise ExpressionEvaluationError(
        f"a value nested more than {VALUE_MAX_DEPTH} levels deep cannot be {what}"
    )


def order(operator: str, left: Any, right: Any, run: Run) -> bool:
    comparable = (is_number(left) and is_number(right)) or (
        isinstance(left, str) and isinstance(right, str)
    )
    if not comparable:
        raise ExpressionEvaluationError(
            f"cannot compare {described(left)} with {described(right)} using {operator}"
        )
    if isinstance(left, str):
        run.scan(left if len(left) < len(right) else right)
    if operator == "<":
        return left < right
    if operator == ">":
        return left > right
    if operator == "<=":
        return left <= right
    return left >= right


def add(left: Any, right: Any) -> Any:
    if type(left) is str and type(right) is str:
        return left + right
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


def to_json(value: Any, run: Run) -> Any:
    """A fresh JSON copy of ``value`` (tuples become lists), or an error naming what is not JSON.

    Charged to ``run`` as it copies, each container before its members are converted: a
    step per value, ``NODE_STEPS`` per container, and a step per ``CHARACTERS_PER_STEP``
    characters of text, so a value repeated many times costs every copy (a claim's value is
    copied, encoded and sent whole). Nested deeper than ``VALUE_MAX_DEPTH`` is an error.
    """
    kind = type(value)
    # The common results, a text or a scalar, cost what the loop below would charge them.
    if kind is str:
        run.tick(1 + len(value) // CHARACTERS_PER_STEP)
        return value
    if value is None or kind is bool:
        run.tick(1)
        return value
    allowance = run.allowance()
    cost = 1
    root = [value]
    # Containers already copied, with the keys of the members still to convert.
    pending: list[tuple[Any, Any, int]] = [(root, (0,), 0)]
    while pending:
        parent, keys, depth = pending.pop()
        for key in keys:
            item = parent[key]
            kind = type(item)
            if kind is str:
                cost += len(item) // CHARACTERS_PER_STEP
            elif item is None or kind is bool:
                pass
            elif kind is int or kind is float:
                checked_number(item)
            elif is_container(item):
                if depth >= VALUE_MAX_DEPTH:
                    _too_deep("put into a claim")
                copy, members, size = _copy_container(item)
                cost += size
                if cost > allowance:
                    run.tick(cost)
                parent[key] = copy
                pending.append((copy, members, depth + 1))
            else:
                parent[key] = _json_scalar(item)
    run.tick(cost)
    return root[0]


def _copy_container(item: Any) -> tuple[Any, Any, int]:
    """A shallow copy, the keys of its members, and its cost before the members' text:
    ``NODE_STEPS`` for the container and a step per member."""
    if is_array(item):
        return list(item), range(len(item)), NODE_STEPS + len(item)
    copy = dict(item)
    if not all(type(name) is str for name in copy):
        raise ExpressionEvaluationError("the result is not a JSON value: an object key is not text")
    members = list(copy)
    return copy, members, NODE_STEPS + len(members) + sum(map(len, members)) // CHARACTERS_PER_STEP


def _json_scalar(item: Any) -> Any:
    """A str, int or float subclass as its plain value; anything else is not JSON."""
    if isinstance(item, str):
        return str(item)
    if is_number(item):
        return checked_number(item)
    raise ExpressionEvaluationError(
        f"the result is not a JSON value: {described(item)} cannot go into a token "
        "(read one of its properties instead, e.g. user.email)"
    )
