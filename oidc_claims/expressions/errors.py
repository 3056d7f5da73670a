"""The two errors an expression can end in: one at save time, one at run time."""

from __future__ import annotations

from oidc_claims.exceptions import TokenRefused


class ExpressionError(Exception):
    """Base of every error the expression language raises on purpose."""


class ExpressionSyntaxError(ExpressionError):
    """The text is not a valid expression (raised when compiling, i.e. at save time).

    ``line`` and ``column`` are 1-based; ``expected`` lists what the parser would have
    accepted there (human-readable, e.g. ``'")"'``, ``"a string"``); ``found`` is the text
    that stood there instead (``"end of input"`` at the end).
    """

    def __init__(
        self,
        message: str,
        *,
        line: int = 1,
        column: int = 1,
        expected: list[str] | tuple[str, ...] = (),
        found: str = "",
    ) -> None:
        self.message = message
        self.line = line
        self.column = column
        self.expected = list(expected)
        self.found = found
        super().__init__(self.__str__())

    def __str__(self) -> str:
        text = f"Line {self.line}, column {self.column}: {self.message}"
        if self.expected:
            text += f"; expected {', '.join(self.expected)}"
        if self.found:
            text += f"; found {self.found}"
        return text


class ExpressionEvaluationError(ExpressionError):
    """Evaluating a compiled expression failed (missing attribute, wrong type, over budget...)."""


class GroupLimitExceeded(ExpressionEvaluationError, TokenRefused):
    """More groups matched than the limit allows; never silently truncated.

    Raised where the groups are selected, without the claim's name; the engine names the
    claim (:meth:`for_claim`), and the token layer refuses the request with the message.
    """

    def __init__(self, limit: int, count: int, claim_name: str | None = None) -> None:
        self.limit = limit
        self.count = count
        self.claim_name = claim_name
        if claim_name is None:
            message = f"{count} groups match, more than the limit of {limit}"
        else:
            message = (
                f"The claim {claim_name!r} matches {count} groups, more than its limit of "
                f"{limit}; an administrator must narrow its group filter or raise its group "
                "limit."
            )
        super().__init__(message)

    def for_claim(self, claim_name: str) -> GroupLimitExceeded:
        """The same error, naming the claim whose groups exceeded the limit."""
        return GroupLimitExceeded(self.limit, self.count, claim_name)


class EvaluationBudgetExceededError(ExpressionEvaluationError):
    """Evaluation took more steps than ``EXPRESSION_MAX_STEPS`` allows, or than the token
    request had left of ``EXPRESSION_MAX_STEPS_PER_REQUEST``.

    Steps count syntax nodes and the data built, copied, compared or scanned.
    """

    def __init__(self, limit: int, steps: int, setting: str = "EXPRESSION_MAX_STEPS") -> None:
        self.limit = limit
        self.steps = steps
        self.setting = setting
        if setting == "EXPRESSION_MAX_STEPS":
            advice = "simplify the expression or make the data it reads smaller"
        else:
            advice = "the claims evaluated before it in this token request used the rest"
        super().__init__(
            f"evaluation stopped after {steps} steps, over the budget of {limit} "
            f"({setting}); {advice}"
        )
