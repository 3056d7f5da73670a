"""Parse tree to Python closures: names resolved, arities and limits checked once, at save time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lark import Token, Tree

from oidc_claims.conf import claims_settings
from oidc_claims.expressions.budget import RequestBudget
from oidc_claims.expressions.environment import Environment
from oidc_claims.expressions.errors import (
    ExpressionError,
    ExpressionEvaluationError,
    ExpressionSyntaxError,
)
from oidc_claims.expressions.literals import decode_string, parse_number
from oidc_claims.expressions.names import NameCompiler, Node
from oidc_claims.expressions.parser import parse
from oidc_claims.expressions.runtime import NODE_STEPS, Run
from oidc_claims.expressions.values import (
    add,
    arithmetic,
    equal,
    negate,
    order,
    to_json,
    truth,
)

# Every node charges its steps as ``run.tick(NODE_STEPS)`` would, written out: a method call
# per node was a fifth of the evaluation time of a typical claim.


class CompiledExpression:
    """A parsed and checked expression; evaluate it as often as needed.

    ``reads_user`` tells, from the text alone, whether the value depends on the user
    (``user``, a group function): without a user such a value means nothing.
    """

    __slots__ = ("source", "reads_user", "_root")

    def __init__(self, source: str, root: Node, *, reads_user: bool = False) -> None:
        self.source = source
        self.reads_user = reads_user
        self._root = root

    def __repr__(self) -> str:
        return f"<CompiledExpression {self.source[:60]!r}>"

    def evaluate(self, env: Environment, budget: RequestBudget | None = None) -> Any:
        """The JSON value of the expression, or ExpressionEvaluationError (nothing else).

        ``budget``, when given, is the token request's: the steps this evaluation takes
        are charged to it, and it may stop the evaluation before ``EXPRESSION_MAX_STEPS``.
        """
        run = Run(
            env,
            claims_settings.EXPRESSION_MAX_STEPS,
            claims_settings.EXPRESSION_MAX_STRING_LENGTH,
            budget,
        )
        try:
            return to_json(self._root(run), run)
        except ExpressionEvaluationError:
            raise
        except ExpressionError as exc:
            raise ExpressionEvaluationError(str(exc)) from exc
        except Exception as exc:
            # An environment or function bug must not turn into a failed token request.
            raise ExpressionEvaluationError(
                f"evaluation failed: {type(exc).__name__}: {exc}"
            ) from exc
        finally:
            if budget is not None:
                budget.charge(min(run.steps, run.max_steps))


def compile_expression(text: str) -> CompiledExpression:
    """Compile ``text`` or raise ExpressionSyntaxError with line, column, expected and found."""
    if not isinstance(text, str):
        raise ExpressionSyntaxError(f"the expression must be text, not {type(text).__name__}")
    tree = parse(text, max_length=claims_settings.EXPRESSION_MAX_LENGTH)
    compiler = _Compiler(text, claims_settings.EXPRESSION_MAX_DEPTH)
    try:
        root = compiler.compile(tree, 1)
    except RecursionError:
        raise ExpressionSyntaxError("the expression is nested too deeply") from None
    return CompiledExpression(text, root, reads_user=compiler.reads_user)


def _where(item: Tree | Token) -> tuple[int, int]:
    """Line and column where a tree or token starts."""
    if isinstance(item, Token):
        return item.line or 1, item.column or 1
    if not item.meta.empty:
        return item.meta.line, item.meta.column
    for child in item.children:
        if isinstance(child, (Tree, Token)):
            return _where(child)
    return 1, 1


class _Compiler(NameCompiler):
    """Compiles one parsed expression; literals and operators here, names and calls in
    :class:`~oidc_claims.expressions.names.NameCompiler`."""

    def __init__(self, text: str, max_depth: int) -> None:
        self.text = text
        self.max_depth = max_depth
        # Closures of literals, with their value and token, for compile-time preparation.
        self.literals: dict[Node, tuple[Any, Token]] = {}
        # Set when the expression names ``user`` or calls a function that reads the user.
        self.reads_user = False
        # Closures of variables, with the variable's name (``user.email`` fuses the two).
        self.variables: dict[Node, str] = {}
        self.rules: dict[str, Callable[[Tree, int], Node]] = {
            "string": self.string,
            "number": self.number,
            "true": lambda tree, depth: self.constant(True, tree),
            "false": lambda tree, depth: self.constant(False, tree),
            "null": lambda tree, depth: self.constant(None, tree),
            "name": self.name,
            "array": self.array,
            "group": self.group,
            "conditional": self.conditional,
            "or_expr": self.logical,
            "and_expr": self.logical,
            "compare": self.compare,
            "sum": self.arithmetic,
            "product": self.arithmetic,
            "not_": self.not_,
            "negate": self.negate,
            "postfix": self.postfix,
        }

    def error(self, item: Tree | Token, message: str, **details: Any) -> ExpressionSyntaxError:
        line, column = _where(item)
        return ExpressionSyntaxError(message, line=line, column=column, **details)

    def compile(self, tree: Tree, depth: int) -> Node:
        if depth > self.max_depth:
            raise self.error(
                tree,
                f"the expression is nested more than {self.max_depth} levels deep "
                "(EXPRESSION_MAX_DEPTH)",
            )
        return self.rules[str(tree.data)](tree, depth)

    # --- literals ----------------------------------------------------------------------

    def constant(self, value: Any, tree: Tree) -> Node:
        def node(run: Run) -> Any:
            run.steps += NODE_STEPS
            if run.steps > run.max_steps:
                run.tick(0)  # raises: the budget is exceeded
            return value

        self.literals[node] = (value, tree.children[0])
        return node

    def string(self, tree: Tree, depth: int) -> Node:
        return self.constant(decode_string(tree.children[0], self.text), tree)

    def number(self, tree: Tree, depth: int) -> Node:
        return self.constant(parse_number(tree.children[0], self.text), tree)

    def array(self, tree: Tree, depth: int) -> Node:
        elements = [self.compile(child, depth + 1) for child in tree.children]

        def node(run: Run) -> list[Any]:
            run.steps += NODE_STEPS
            if run.steps > run.max_steps:
                run.tick(0)  # raises: the budget is exceeded
            return run.array([element(run) for element in elements])

        return node

    def group(self, tree: Tree, depth: int) -> Node:
        return self.compile(tree.children[0], depth + 1)

    # --- operators ---------------------------------------------------------------------

    def conditional(self, tree: Tree, depth: int) -> Node:
        condition, if_true, if_false = (self.compile(child, depth + 1) for child in tree.children)

        def node(run: Run) -> Any:
            run.steps += NODE_STEPS
            if run.steps > run.max_steps:
                run.tick(0)  # raises: the budget is exceeded
            if truth(condition(run), "the condition before ?"):
                return if_true(run)
            return if_false(run)

        return node

    def logical(self, tree: Tree, depth: int) -> Node:
        operands = [self.compile(child, depth + 1) for child in tree.children]
        is_or = tree.data == "or_expr"
        what = "each side of OR" if is_or else "each side of AND"

        def node(run: Run) -> bool:
            run.steps += NODE_STEPS
            if run.steps > run.max_steps:
                run.tick(0)  # raises: the budget is exceeded
            for operand in operands:
                if truth(operand(run), what) == is_or:
                    return is_or
            return not is_or

        return node

    def compare(self, tree: Tree, depth: int) -> Node:
        left_tree, operator_token, right_tree = tree.children
        left, right = self.compile(left_tree, depth + 1), self.compile(right_tree, depth + 1)
        operator = str(operator_token)

        def node(run: Run) -> bool:
            run.steps += NODE_STEPS
            if run.steps > run.max_steps:
                run.tick(0)  # raises: the budget is exceeded
            a, b = left(run), right(run)
            if operator == "==":
                return equal(a, b, run)
            if operator == "!=":
                return not equal(a, b, run)
            return order(operator, a, b, run)

        return node

    def arithmetic(self, tree: Tree, depth: int) -> Node:
        first = self.compile(tree.children[0], depth + 1)
        rest = [
            (str(operator), self.compile(operand, depth + 1))
            for operator, operand in zip(tree.children[1::2], tree.children[2::2], strict=True)
        ]

        def node(run: Run) -> Any:
            run.steps += NODE_STEPS
            if run.steps > run.max_steps:
                run.tick(0)  # raises: the budget is exceeded
            value = first(run)
            for operator, operand in rest:
                other = operand(run)
                if operator == "+":
                    value = add(value, other)
                    if isinstance(value, str):
                        run.text(value)
                    elif isinstance(value, list):
                        run.array(value)
                else:
                    value = arithmetic(operator, value, other)
            return value

        return node

    def not_(self, tree: Tree, depth: int) -> Node:
        operand = self.compile(tree.children[0], depth + 1)

        def node(run: Run) -> bool:
            run.steps += NODE_STEPS
            if run.steps > run.max_steps:
                run.tick(0)  # raises: the budget is exceeded
            return not truth(operand(run), "the operand of !")

        return node

    def negate(self, tree: Tree, depth: int) -> Node:
        operand = self.compile(tree.children[1], depth + 1)

        def node(run: Run) -> Any:
            run.steps += NODE_STEPS
            if run.steps > run.max_steps:
                run.tick(0)  # raises: the budget is exceeded
            return negate(operand(run))

        return node
