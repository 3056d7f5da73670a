"""``Convert.*``: numbers from text or other numbers."""

from __future__ import annotations

import math
import re
from typing import Any

from oidc_claims.expressions.functions.base import Function
from oidc_claims.expressions.runtime import Run
from oidc_claims.expressions.values import checked_number, described, is_number

# Plain decimal notation only: no exponents, no "nan"/"infinity", no digit separators.
DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")


def _number(value: Any) -> int | float:
    if is_number(value):
        return value
    if isinstance(value, str):
        text = value.strip()
        if len(text) <= 40 and DECIMAL.fullmatch(text):
            return checked_number(int(text) if text.lstrip("+-").isdigit() else float(text))
        raise ValueError(f"{value[:40]!r} is not a number")
    raise TypeError(f"cannot convert {described(value)} to a number")


def to_int(run: Run, value: Any) -> int | None:
    """Whole numbers; decimals round half up, as Java's Math.round does."""
    if value is None:
        return None
    number = _number(value)
    if isinstance(number, float):
        number = math.floor(number + 0.5)
    return checked_number(number)


def to_num(run: Run, value: Any) -> float | None:
    if value is None:
        return None
    return float(_number(value))


FUNCTIONS = [
    Function("Convert.toInt", to_int, 1, 1),
    Function("Convert.toNum", to_num, 1, 1),
]
