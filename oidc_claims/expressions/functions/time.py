"""``Time.*``: the current time and ISO 8601 / Unix time conversions (always UTC)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from oidc_claims.expressions.functions.base import Function
from oidc_claims.expressions.runtime import Run
from oidc_claims.expressions.values import described, is_number

# Keeps datetime within its range; the year 9999 ends just before this many seconds.
MAX_UNIX_SECONDS = 253_402_300_799


def _iso(moment: datetime) -> str:
    """Okta's format: UTC with milliseconds, e.g. 2015-07-31T17:18:37.979Z."""
    utc = moment.astimezone(timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def now(run: Run) -> str:
    return _iso(run.env.now())


def from_unix_to_iso8601(run: Run, seconds: Any) -> str | None:
    if seconds is None:
        return None
    if isinstance(seconds, str):
        seconds = float(seconds.strip()) if seconds.strip() else None
    if not is_number(seconds):
        raise TypeError(f"argument 1 must be a number of seconds, not {described(seconds)}")
    if not -MAX_UNIX_SECONDS <= seconds <= MAX_UNIX_SECONDS:
        raise ValueError(f"{seconds} seconds is outside the supported range of dates")
    return _iso(datetime.fromtimestamp(seconds, tz=timezone.utc))


def from_iso8601_to_unix(run: Run, text: Any) -> int | None:
    if text is None:
        return None
    if not isinstance(text, str):
        raise TypeError(f"argument 1 must be an ISO 8601 string, not {described(text)}")
    if len(text) > 64:
        raise ValueError("argument 1 is too long for an ISO 8601 date")
    text = text.strip()
    if text[-1:] in ("Z", "z"):
        # Python 3.10's fromisoformat does not read the "Z" suffix.
        text = text[:-1] + "+00:00"
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return int(moment.timestamp() // 1)


FUNCTIONS = [
    Function("Time.now", now, 0, 0),
    Function("Time.fromUnixToIso8601", from_unix_to_iso8601, 1, 1),
    Function("Time.fromIso8601ToUnix", from_iso8601_to_unix, 1, 1),
]
