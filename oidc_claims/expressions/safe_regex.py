"""Regular expressions that run in linear time (RE2), with errors that point at the fault.

Patterns use Python/RE2 syntax. Python's ``re`` parses the pattern first because its errors
carry a position; constructs RE2 cannot run in linear time (backreferences, lookaround,
atomic groups, possessive quantifiers, conditionals) are then reported where they stand.
"""

from __future__ import annotations

import re
from typing import Any

import re2

# Longest pattern accepted (characters); group filters are short, and RE2's memory use
# grows with the pattern.
MAX_PATTERN_LENGTH = 1000

UNSUPPORTED_REASON = "not supported: runs in linear time only"

# Each construct RE2 refuses, found by a scan that skips escapes and character classes.
_UNSUPPORTED = [
    (re.compile(r"\\[1-9]"), "a backreference"),
    (re.compile(r"\(\?P="), "a named backreference"),
    (re.compile(r"\(\?<?[=!]"), "a lookaround"),
    (re.compile(r"\(\?>"), "an atomic group"),
    (re.compile(r"\(\?\("), "a conditional group"),
]


class RegexSyntaxError(ValueError):
    """A pattern that is invalid or cannot run in linear time.

    ``line`` and ``column`` are 1-based positions in the pattern; ``expected`` says what
    would be accepted there, ``found`` quotes the offending text.
    """

    def __init__(
        self, message: str, *, line: int = 1, column: int = 1, expected: str = "", found: str = ""
    ) -> None:
        self.message = message
        self.line = line
        self.column = column
        self.expected = expected
        self.found = found
        super().__init__(f"Line {line}, column {column}: {message}")


def _options() -> Any:
    options = re2.Options()
    # RE2 would otherwise print every rejected pattern to stderr.
    options.log_errors = False
    return options


def _position(pattern: str, offset: int) -> tuple[int, int]:
    line = pattern.count("\n", 0, offset) + 1
    return line, offset - (pattern.rfind("\n", 0, offset) + 1) + 1


def _structural_offsets(pattern: str):
    """Offsets outside character classes where a construct starts, escapes kept intact."""
    offset, in_class = 0, False
    while offset < len(pattern):
        char = pattern[offset]
        if not in_class:
            yield offset
        if char == "\\":
            offset += 2
            continue
        if char == "[" and not in_class:
            in_class = True
            # A "]" right after "[" or "[^" is a literal member of the class.
            offset += 2 if pattern[offset + 1 : offset + 2] == "]" else 1
            if pattern[offset - 1 : offset + 1] == "^]":
                offset += 1
            continue
        if char == "]" and in_class:
            in_class = False
        offset += 1


def _find_unsupported(pattern: str) -> tuple[int, str] | None:
    previous = -2
    for offset in _structural_offsets(pattern):
        for construct, name in _UNSUPPORTED:
            if construct.match(pattern, offset):
                return offset, name
        # "+" straight after an unescaped quantifier makes it possessive ("a*+", "a{2}+").
        if pattern[offset] == "+" and previous == offset - 1 and pattern[previous] in "*+?}":
            return offset, "a possessive quantifier"
        previous = offset
    return None


def compile_safe_regex(pattern: str) -> Any:
    """Compile ``pattern`` with RE2 or raise RegexSyntaxError saying where and why."""
    if not isinstance(pattern, str):
        raise RegexSyntaxError("the pattern must be a string")
    if len(pattern) > MAX_PATTERN_LENGTH:
        line, column = _position(pattern, MAX_PATTERN_LENGTH)
        raise RegexSyntaxError(
            f"the pattern is {len(pattern)} characters long, more than {MAX_PATTERN_LENGTH}",
            line=line,
            column=column,
        )
    try:
        re.compile(pattern)
    except re.error as exc:
        offset = exc.pos if exc.pos is not None else 0
        line, column = _position(pattern, offset)
        raise RegexSyntaxError(
            exc.msg, line=line, column=column, found=pattern[offset : offset + 10]
        ) from None
    except (RecursionError, OverflowError) as exc:
        raise RegexSyntaxError(f"the pattern is too complex: {exc}") from None
    unsupported = _find_unsupported(pattern)
    if unsupported is not None:
        offset, name = unsupported
        line, column = _position(pattern, offset)
        raise RegexSyntaxError(
            f"{name} is {UNSUPPORTED_REASON}",
            line=line,
            column=column,
            expected="a pattern without backreferences, lookaround or possessive quantifiers",
            found=pattern[offset : offset + 10],
        )
    try:
        return re2.compile(pattern, _options())
    except re2.error as exc:
        reason = (
            exc.args[0].decode("utf-8", "replace")
            if exc.args and isinstance(exc.args[0], bytes)
            else str(exc)
        )
        # RE2 quotes the offending fragment after a colon; point at it when it is found.
        fragment = reason.rpartition(": ")[2]
        offset = max(pattern.find(fragment), 0) if fragment else 0
        line, column = _position(pattern, offset)
        raise RegexSyntaxError(
            f"{reason} ({UNSUPPORTED_REASON})", line=line, column=column, found=fragment
        ) from None
