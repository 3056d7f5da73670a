"""The closures of the most evaluated nodes, function calls and ``user.email`` reads, written out.

Every claim evaluation runs a few of these, so each saves what it can: the step charge of
``run.tick`` inlined (the method call was a fifth of a typical claim's evaluation), calls
of one or two arguments without an argument list, a variable and its properties in one
closure. They charge steps, evaluate and raise exactly as the general nodes would.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn

from oidc_claims.expressions.errors import ExpressionEvaluationError
from oidc_claims.expressions.runtime import NODE_STEPS, Run
from oidc_claims.expressions.values import read_property

Node = Callable[[Run], Any]


def call_node(name: str, impl: Callable[..., Any], arguments: list[Node]) -> Node:
    """The node calling library function ``name`` (``impl(run, *values)``)."""
    if len(arguments) == 1:
        (only,) = arguments

        def call_one(run: Run) -> Any:
            run.steps += NODE_STEPS
            if run.steps > run.max_steps:
                run.tick(0)  # raises: the budget is exceeded
            value = only(run)
            try:
                return impl(run, value)
            except Exception as exc:  # noqa: BLE001  (named or passed on)
                _raise_from_function(name, exc)

        return call_one
    if len(arguments) == 2:
        first, second = arguments

        def call_two(run: Run) -> Any:
            run.steps += NODE_STEPS
            if run.steps > run.max_steps:
                run.tick(0)
            left = first(run)
            right = second(run)
            try:
                return impl(run, left, right)
            except Exception as exc:  # noqa: BLE001
                _raise_from_function(name, exc)

        return call_two

    def call_any(run: Run) -> Any:
        run.steps += NODE_STEPS
        if run.steps > run.max_steps:
            run.tick(0)
        values = [argument(run) for argument in arguments]
        try:
            return impl(run, *values)
        except Exception as exc:  # noqa: BLE001
            _raise_from_function(name, exc)

    return call_any


def _raise_from_function(name: str, exc: Exception) -> NoReturn:
    """Raise what a call of ``name`` that raised ``exc`` raises: the error prefixed with the
    function's name; a more specific evaluation error (a budget exceeded) unchanged."""
    if isinstance(exc, ExpressionEvaluationError) and type(exc) is not ExpressionEvaluationError:
        raise exc
    raise ExpressionEvaluationError(f"{name}(): {exc}") from exc


def variable_properties_node(variable: str, names: list[str], cost: int) -> Node:
    """``user.email``: a properties node (charging ``cost``) and its variable's node in one."""
    if len(names) == 1:
        (name,) = names

        def one_property(run: Run) -> Any:
            run.steps += cost
            if run.steps > run.max_steps:
                run.tick(0)
            run.steps += NODE_STEPS  # the variable's node
            if run.steps > run.max_steps:
                run.tick(0)
            return read_property(run.env.variable(variable), name)

        return one_property

    def properties(run: Run) -> Any:
        run.steps += cost
        if run.steps > run.max_steps:
            run.tick(0)
        run.steps += NODE_STEPS
        if run.steps > run.max_steps:
            run.tick(0)
        value = run.env.variable(variable)
        for name in names:
            value = read_property(value, name)
        return value

    return properties
