"""The claim expression language (Okta Expression Language compatible).

Public surface::

    from oidc_claims.expressions import compile_expression, ExpressionSyntaxError, ExpressionEvaluationError

    compiled = compile_expression('String.substringBefore(user.email, "@")')  # may raise ExpressionSyntaxError
    value = compiled.evaluate(environment)  # may raise ExpressionEvaluationError
"""
