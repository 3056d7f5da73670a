"""Literal tokens to values: string escapes and numbers, with positions for errors."""

from __future__ import annotations

import json
import math
from typing import Any

from lark import Token

from oidc_claims.expressions.errors import ExpressionSyntaxError
from oidc_claims.expressions.parser import position
from oidc_claims.expressions.values import MAX_INT

ESCAPES = {
    '"': '"',
    "'": "'",
    "\\": "\\",
    "/": "/",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
}
HEX_DIGITS = frozenset("0123456789abcdefABCDEF")


def _error(
    text: str, offset: int, message: str, expected: list[str], found: str
) -> ExpressionSyntaxError:
    line, column = position(text, offset)
    return ExpressionSyntaxError(message, line=line, column=column, expected=expected, found=found)


def decode_string(token: Token, text: str) -> str:
    """The value of a quoted string token; ``text`` is the whole expression (for positions)."""
    raw = str(token)[1:-1]
    parts: list[str] = []
    index = 0
    while index < len(raw):
        backslash = raw.find("\\", index)
        if backslash < 0:
            parts.append(raw[index:])
            break
        parts.append(raw[index:backslash])
        code = raw[backslash + 1]  # the token's pattern guarantees a character follows
        if code in ESCAPES:
            parts.append(ESCAPES[code])
            index = backslash + 2
        elif code != "u":
            # Other escapes stay as written, so Okta regular expressions such as "eng\\d+"
            # or "a\\.b" keep working unchanged.
            parts.append(raw[backslash : backslash + 2])
            index = backslash + 2
        elif len(raw) >= backslash + 6 and set(raw[backslash + 2 : backslash + 6]) <= HEX_DIGITS:
            parts.append(chr(int(raw[backslash + 2 : backslash + 6], 16)))
            index = backslash + 6
        else:
            raise _error(
                text,
                token.start_pos + 1 + backslash,
                "\\u must be followed by four hexadecimal digits",
                ["\\uXXXX"],
                repr(raw[backslash : backslash + 6]),
            )
    value = "".join(parts)
    try:
        # Joins \uD83D\uDE00-style surrogate pairs; a lone surrogate cannot go into JSON.
        value = value.encode("utf-16", "surrogatepass").decode("utf-16")
    except UnicodeDecodeError:
        raise _error(
            text,
            token.start_pos,
            "a \\u escape is half of a surrogate pair",
            [],
            repr(str(token)[:12]),
        ) from None
    return value


def parse_number(token: Token, text: str) -> int | float:
    raw = str(token)
    if "." not in raw:
        value = int(raw) if len(raw) <= 20 else MAX_INT + 1
        if value <= MAX_INT:
            return value
    else:
        number = float(raw)
        if math.isfinite(number):
            return number
    raise _error(text, token.start_pos, "number too large", ["a number up to 2**63 - 1"], raw[:20])


def expression_literal(value: Any) -> str:
    """``value`` written as the language writes it: ``true``, ``null``, ``"text"``, ``{"a", "b"}``.

    What the admin's reference shows, so that a result can be copied into an expression (a
    Python ``True`` or ``['a', 'b']`` would not parse).
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "{" + ", ".join(expression_literal(item) for item in value) + "}"
    raise TypeError(f"No expression literal for a {type(value).__name__}.")
