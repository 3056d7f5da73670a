"""The claim expression language (Okta Expression Language compatible).

Public surface::

    from oidc_claims.expressions import compile_expression

    compiled = compile_expression('String.substringBefore(user.email, "@")')
    value = compiled.evaluate(environment)

``compile_expression`` raises ExpressionSyntaxError (line, column, expected, found);
``evaluate`` returns a JSON value or raises ExpressionEvaluationError.
"""

from oidc_claims.expressions.compiler import CompiledExpression, compile_expression
from oidc_claims.expressions.environment import Environment, ExpressionObject, GroupInfo
from oidc_claims.expressions.errors import (
    EvaluationBudgetExceededError,
    ExpressionError,
    ExpressionEvaluationError,
    ExpressionSyntaxError,
    GroupLimitExceeded,
)

__all__ = [
    "CompiledExpression",
    "Environment",
    "EvaluationBudgetExceededError",
    "ExpressionError",
    "ExpressionEvaluationError",
    "ExpressionObject",
    "ExpressionSyntaxError",
    "GroupInfo",
    "GroupLimitExceeded",
    "compile_expression",
]
