"""The step budget of one token request, shared by every expression evaluated in it."""

from __future__ import annotations


class RequestBudget:
    """Steps left for one token request (``EXPRESSION_MAX_STEPS_PER_REQUEST``).

    Each claim is still bounded by ``EXPRESSION_MAX_STEPS``; this bounds their sum, so that
    many claims cannot add up to an expensive request. The caller keeps one per request
    and passes it to every evaluation.
    """

    __slots__ = ("limit", "used")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0

    @property
    def remaining(self) -> int:
        return max(self.limit - self.used, 0)

    def charge(self, steps: int) -> None:
        self.used += steps
