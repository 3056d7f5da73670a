"""``String.*``: text functions, with Okta's names and argument order.

A null subject gives null (a missing attribute stays missing instead of becoming ""). When
the subject is an array, the functions that return text apply to every element, as Okta's
do, e.g. ``String.replace(getFilteredGroups(...), "SSO-", "")``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from oidc_claims.expressions.functions.base import Function, int_arg, string_arg
from oidc_claims.expressions.runtime import NODE_STEPS, Run
from oidc_claims.expressions.values import is_array, to_text


def _each(run: Run, subject: Any, transform: Callable[[str], str]) -> Any:
    if subject is None:
        return None
    if is_array(subject):
        # Applied to each element like a call of its own.
        run.tick(NODE_STEPS * len(subject))
        return run.array(
            [_each(run, item, transform) if item is not None else None for item in subject]
        )
    text = string_arg(subject, 1)
    # Reading the subject is charged before the work, the result when it exists.
    run.scan(text)
    return run.text(transform(text))


def append(run: Run, subject: Any, suffix: Any) -> Any:
    suffix = to_text(suffix)

    def transform(text: str) -> str:
        run.check_length(len(text) + len(suffix))
        return text + suffix

    return _each(run, subject, transform)


def join(run: Run, separator: Any, *items: Any) -> str:
    separator = string_arg(separator, 1)
    parts: list[str] = []
    for item in items:
        # An array argument contributes its elements: String.join(" ", access.scope).
        for value in item if is_array(item) else (item,):
            if value is not None:
                parts.append(to_text(value))
    run.tick(len(parts))
    run.check_length(sum(map(len, parts)) + len(separator) * max(len(parts) - 1, 0))
    return run.text(separator.join(parts))


def length(run: Run, subject: Any) -> int | None:
    if subject is None:
        return None
    return len(string_arg(subject, 1))


def remove_spaces(run: Run, subject: Any) -> Any:
    return _each(run, subject, lambda text: text.replace(" ", ""))


def _replacer(run: Run, match: Any, replacement: Any, count: int) -> Callable[[str], str]:
    match = string_arg(match, 2)
    replacement = string_arg(replacement, 3)

    def transform(text: str) -> str:
        # Predict the size first: an empty match inserts the replacement between characters.
        found = text.count(match) if count < 0 else min(1, text.count(match))
        run.check_length(len(text) + found * (len(replacement) - len(match)))
        return text.replace(match, replacement, count)

    return transform


def replace(run: Run, subject: Any, match: Any, replacement: Any) -> Any:
    return _each(run, subject, _replacer(run, match, replacement, -1))


def replace_first(run: Run, subject: Any, match: Any, replacement: Any) -> Any:
    return _each(run, subject, _replacer(run, match, replacement, 1))


def string_contains(run: Run, subject: Any, search: Any) -> bool:
    if subject is None:
        return False
    search, text = string_arg(search, 2), string_arg(subject, 1)
    run.scan(text)
    return search in text


def string_switch(run: Run, subject: Any, default: Any, *pairs: Any) -> Any:
    if subject is None:
        return default
    text = string_arg(subject, 1)
    for index in range(0, len(pairs), 2):
        run.scan(text)
        if string_arg(pairs[index], index + 3) in text:
            return pairs[index + 1]
    return default


def substring(run: Run, subject: Any, start: Any, end: Any) -> Any:
    begin, stop = int_arg(start, 2), int_arg(end, 3)

    def transform(text: str) -> str:
        if not 0 <= begin <= stop <= len(text):
            raise ValueError(
                f"indexes {begin} to {stop} are outside the text of length {len(text)}"
            )
        return text[begin:stop]

    return _each(run, subject, transform)


def substring_after(run: Run, subject: Any, search: Any) -> Any:
    search = string_arg(search, 2)
    # Like Apache Commons' substringAfter: nothing when the separator is absent.
    return _each(run, subject, lambda text: text.partition(search)[2] if search else text)


def substring_before(run: Run, subject: Any, search: Any) -> Any:
    search = string_arg(search, 2)
    # Like Apache Commons' substringBefore: the whole text when the separator is absent.
    return _each(run, subject, lambda text: text.partition(search)[0] if search else "")


def to_upper_case(run: Run, subject: Any) -> Any:
    return _each(run, subject, str.upper)


def to_lower_case(run: Run, subject: Any) -> Any:
    return _each(run, subject, str.lower)


def _key_value_pairs(count: int) -> str | None:
    if count % 2:
        return "String.stringSwitch needs a value after every key"
    return None


FUNCTIONS = [
    Function("String.append", append, 2, 2),
    Function("String.join", join, 1, None),
    Function("String.len", length, 1, 1),
    Function("String.removeSpaces", remove_spaces, 1, 1),
    Function("String.replace", replace, 3, 3),
    Function("String.replaceFirst", replace_first, 3, 3),
    Function("String.stringContains", string_contains, 2, 2),
    Function("String.stringSwitch", string_switch, 2, None, arity_check=_key_value_pairs),
    Function("String.substring", substring, 3, 3),
    Function("String.substringAfter", substring_after, 2, 2),
    Function("String.substringBefore", substring_before, 2, 2),
    Function("String.toUpperCase", to_upper_case, 1, 1),
    Function("String.toLowerCase", to_lower_case, 1, 1),
]
