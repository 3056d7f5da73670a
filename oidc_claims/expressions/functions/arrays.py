"""``Arrays.*``: array functions, with Okta's names and argument order (null counts as {})."""

from __future__ import annotations

from typing import Any

from oidc_claims.expressions.functions.base import Function, array_arg, int_arg
from oidc_claims.expressions.runtime import CHARACTERS_PER_STEP, Run
from oidc_claims.expressions.values import equal, scalar_matcher, to_text


def add(run: Run, array: Any, value: Any) -> list[Any]:
    items = array_arg(array, 1)
    return run.array([*items, value])


def remove(run: Run, array: Any, value: Any) -> list[Any]:
    """Every element equal to ``value`` is removed."""
    items = array_arg(array, 1)
    if isinstance(value, str):
        _charge_text_comparisons(run, items, value)
        # Text equals only text: Python's != decides exactly as equal() would.
        return run.array([item for item in items if item != value])
    run.tick(len(items))
    match = scalar_matcher(value)
    if match is not None:
        return run.array([item for item in items if not match(item)])
    return run.array([item for item in items if not equal(item, value, run)])


def clear(run: Run, array: Any) -> list[Any]:
    array_arg(array, 1)
    return run.array([])


def get(run: Run, array: Any, index: Any) -> Any:
    items = array_arg(array, 1)
    position = int_arg(index, 2)
    # Out of range reads as null, like a missing property.
    return items[position] if 0 <= position < len(items) else None


def flatten(run: Run, *values: Any) -> list[Any]:
    flat: list[Any] = []
    run.tick(len(values))
    pending = list(reversed(values))
    while pending:
        value = pending.pop()
        if isinstance(value, (list, tuple)):
            # Every element is charged before it is visited.
            run.tick(len(value))
            pending.extend(reversed(value))
        elif value is not None:
            # null is an empty array here too, so a missing list adds nothing.
            flat.append(value)
    return run.array(flat)


def contains(run: Run, array: Any, value: Any) -> bool:
    items = array_arg(array, 1)
    if isinstance(value, str):
        _charge_text_comparisons(run, items, value)
        # Text equals only text: Python's == decides exactly as equal() would.
        return value in items
    run.tick(len(items))
    match = scalar_matcher(value)
    if match is not None:
        return any(map(match, items))
    return any(equal(item, value, run) for item in items)


def _charge_text_comparisons(run: Run, items: Any, text: str) -> None:
    """Charged before comparing ``text`` with every element, as if each were as long."""
    run.tick(len(items) * (1 + len(text) // CHARACTERS_PER_STEP))


def size(run: Run, array: Any) -> int:
    return len(array_arg(array, 1))


def is_empty(run: Run, value: Any) -> bool:
    # Okta users pass strings too: Arrays.isEmpty(Arrays.toCsvString(...)).
    if isinstance(value, str):
        return not value
    return not array_arg(value, 1)


def to_csv_string(run: Run, array: Any) -> str:
    items = array_arg(array, 1)
    run.tick(len(items))
    parts = [to_text(item) for item in items]
    run.check_length(sum(map(len, parts)) + max(len(parts) - 1, 0))
    return run.text(",".join(parts))


FUNCTIONS = [
    Function("Arrays.add", add, 2, 2),
    Function("Arrays.remove", remove, 2, 2),
    Function("Arrays.clear", clear, 1, 1),
    Function("Arrays.get", get, 2, 2),
    Function("Arrays.flatten", flatten, 1, None),
    Function("Arrays.contains", contains, 2, 2),
    Function("Arrays.size", size, 1, 1),
    Function("Arrays.isEmpty", is_empty, 1, 1),
    Function("Arrays.toCsvString", to_csv_string, 1, 1),
]
