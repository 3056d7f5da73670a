"""One evaluation's state: the environment, the step budget and the size limits.

Cost model: a step is about the work of copying one array element. Every unit of data an
operation builds, copies, compares or scans is a step: an array element, an object member,
or ``CHARACTERS_PER_STEP`` characters of text. Visiting a syntax node (a literal, an
operator, a call) costs ``NODE_STEPS``. The budget is charged before the work where the size
is known in advance, so it stops the work rather than accounting for it afterwards.
"""

from __future__ import annotations

from typing import Any

from oidc_claims.expressions.budget import RequestBudget
from oidc_claims.expressions.environment import Environment
from oidc_claims.expressions.errors import EvaluationBudgetExceededError, ExpressionEvaluationError

# Text costs one step per this many characters built, copied, compared or scanned.
CHARACTERS_PER_STEP = 64
# A syntax node visited (a closure call and its checks) costs as much as a few elements.
NODE_STEPS = 4
# Deepest array/object nesting that is compared or copied into a claim: profile data nests
# at most 32 levels, and expressions build at most as many around it.
VALUE_MAX_DEPTH = 64


class Run:
    """Passed to every compiled node and function; counts steps and checks sizes."""

    __slots__ = ("env", "steps", "max_steps", "max_string_length", "limit_setting")

    def __init__(
        self,
        env: Environment,
        max_steps: int,
        max_string_length: int,
        request_budget: RequestBudget | None = None,
    ) -> None:
        self.env = env
        self.steps = 0
        self.max_string_length = max_string_length
        if request_budget is not None:
            remaining = request_budget.remaining
            if remaining < max_steps:
                self.max_steps = remaining
                self.limit_setting = "EXPRESSION_MAX_STEPS_PER_REQUEST"
                return
        self.max_steps = max_steps
        self.limit_setting = "EXPRESSION_MAX_STEPS"

    def tick(self, count: int = 1) -> None:
        self.steps += count
        if self.steps > self.max_steps:
            raise EvaluationBudgetExceededError(self.max_steps, self.steps, self.limit_setting)

    def allowance(self) -> int:
        """Steps left before the budget is exceeded (for loops that count locally)."""
        return self.max_steps - self.steps

    def scan(self, text: str) -> None:
        """Account for reading ``text`` whole (searching, comparing, converting it)."""
        self.tick(1 + len(text) // CHARACTERS_PER_STEP)

    def check_length(self, length: int) -> None:
        """Refuse a string of ``length`` characters before it is built."""
        if length > self.max_string_length:
            raise ExpressionEvaluationError(
                f"a string of {length} characters would exceed the limit of "
                f"{self.max_string_length} (EXPRESSION_MAX_STRING_LENGTH)"
            )

    def text(self, value: str) -> str:
        """Account for a produced string."""
        self.check_length(len(value))
        self.tick(1 + len(value) // CHARACTERS_PER_STEP)
        return value

    def array(self, items: list[Any]) -> list[Any]:
        """Account for a produced array: every element is a step, so growth is bounded."""
        self.tick(1 + len(items))
        return items
