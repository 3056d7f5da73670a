"""One evaluation's state: the environment, the step budget and the size limits."""

from __future__ import annotations

from typing import Any

from .environment import Environment
from .errors import EvaluationBudgetExceededError, ExpressionEvaluationError

# A produced string costs one step per this many characters, so building text counts
# against the same budget as visiting nodes.
CHARACTERS_PER_STEP = 64


class Run:
    """Passed to every compiled node and function; counts steps and checks sizes."""

    __slots__ = ("env", "steps", "max_steps", "max_string_length")

    def __init__(self, env: Environment, *, max_steps: int, max_string_length: int) -> None:
        self.env = env
        self.steps = 0
        self.max_steps = max_steps
        self.max_string_length = max_string_length

    def tick(self, count: int = 1) -> None:
        self.steps += count
        if self.steps > self.max_steps:
            raise EvaluationBudgetExceededError(self.max_steps, self.steps)

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
