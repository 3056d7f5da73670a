"""How many scopes and applications one claim definition may name (documented limits)."""

from __future__ import annotations

# Each is far above any real configuration and small enough that checking a claim's
# release rules stays cheap on every token request and in every screen.
MAX_SCOPES_PER_CLAIM = 100
MAX_APPLICATIONS_PER_CLAIM = 100


def too_many_problem(what: str, count: int, limit: int) -> str | None:
    """Why ``count`` ``what`` (scopes, applications) are too many for one claim, or None."""
    if count <= limit:
        return None
    return (
        f"A claim may name at most {limit} {what}; this one names {count}. Split it into "
        f"several claims, or leave {what} empty to release it for all."
    )
