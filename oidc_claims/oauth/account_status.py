"""Whether a user may still use the tokens issued to them: deactivated users lose them at once."""

from __future__ import annotations

from typing import Any


def is_deactivated(user: Any) -> bool:
    """True for a user who may no longer log in, as Django's ModelBackend decides:
    ``is_active`` is false. A user model without ``is_active`` has no deactivated users,
    and tokens without a user (client credentials) are not a user's."""
    if user is None:
        return False
    is_active = getattr(user, "is_active", None)
    return not (is_active or is_active is None)
