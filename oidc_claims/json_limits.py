"""How deeply JSON may nest where it enters the app (API bodies, profile data, import files).

Python's json module, Django's form fields and DRF's renderers recurse once per level: a
document nested deeper than the interpreter's recursion limit ends in RecursionError. Refused
where it arrives, it is a 400 saying why; stored as profile data, it would break the export,
the admin page and every token of the application later on.
"""

from __future__ import annotations

from typing import Any

# Profile data is read by expressions as app.profile.a.b.c: a few levels are all it needs.
PROFILE_DATA_MAX_DEPTH = 32
# A request body or import file: an export document around profile data, with room to spare.
DOCUMENT_MAX_DEPTH = 64


def nesting_depth(value: Any, limit: int) -> int:
    """Levels of arrays and objects in ``value`` (a scalar is 0), counted up to ``limit + 1``.

    Iterative, so that it can measure what recursion could not.
    """
    deepest = 0
    pending: list[tuple[Any, int]] = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        depth += 1
        if depth > limit:
            return depth
        deepest = max(deepest, depth)
        pending.extend((child, depth) for child in children)
    return deepest


def too_deep_message(limit: int) -> str:
    return f"the JSON is nested more than {limit} levels deep"


def unstorable_text(value: Any) -> str | None:
    """Why a JSON value cannot be stored (a NUL character or an unpaired surrogate), or None.

    JSON can carry both; PostgreSQL text and jsonb refuse them with a database error.
    """
    # Iterative: the value may be nested deeper than recursion allows.
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return "a string contains a NUL character (\\u0000)"
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return "a string contains an unpaired surrogate (\\ud800-\\udfff)"
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return None
