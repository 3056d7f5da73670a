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
from oidc_claims.expressions.functions import FUNCTIONS, NAMESPACES, USER_METHODS, Function
from oidc_claims.expressions.functions.base import Precompiled
from oidc_claims.expressions.literals import decode_string, parse_number
from oidc_claims.expressions.nodes import call_node, variable_properties_node
from oidc_claims.expressions.parser import parse
from oidc_claims.expressions.runtime import NODE_STEPS, Run
from oidc_claims.expressions.safe_regex import RegexSyntaxError, compile_safe_regex
from oidc_claims.expressions.values import (
    add,
    arithmetic,
    equal,
    negate,
    order,
    read_property,
    to_json,
    truth,
)

VARIABLES = ("user", "app", "access")

Node = Callable[[Run], Any]
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


class _Compiler:
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

    # --- names, properties and calls ---------------------------------------------------

    def name(self, tree: Tree, depth: int) -> Node:
        return self.postfix(Tree("postfix", [tree], tree.meta), depth)

    def postfix(self, tree: Tree, depth: int) -> Node:
        atom, *trailers = tree.children
        if atom.data == "name":
            node, used = self.resolve_name(atom.children[0], trailers, depth)
        else:
            node, used = self.compile(atom, depth + 1), 0
        properties: list[str] = []
        anchor: Tree | Token = atom
        for trailer in trailers[used:]:
            if trailer.data == "call":
                target = repr(properties[-1]) if properties else "this value"
                raise self.error(
                    anchor,
                    f"{target} is not a function; only library functions can be called",
                    expected=["a library function such as String.len(...)"],
                    found=target,
                )
            anchor = trailer.children[0]
            properties.append(str(anchor))
        if not properties:
            return node
        return self.properties(node, properties)

    def properties(self, base: Node, names: list[str]) -> Node:
        cost = NODE_STEPS * len(names)
        variable = self.variables.get(base)
        if variable is not None:
            return variable_properties_node(variable, names, cost)

        def node(run: Run) -> Any:
            run.steps += cost
            if run.steps > run.max_steps:
                run.tick(0)  # raises: the budget is exceeded
            value = base(run)
            for name in names:
                value = read_property(value, name)
            return value

        return node

    def resolve_name(self, token: Token, trailers: list[Tree], depth: int) -> tuple[Node, int]:
        """The node for a leading name and how many trailers it consumed."""
        name = str(token)
        first = trailers[0] if trailers else None
        second = trailers[1] if len(trailers) > 1 else None
        if first is not None and first.data == "call":
            function = FUNCTIONS.get(name)
            if function is None or name in NAMESPACES:
                raise self.unknown_function(token, name)
            return self.call(function, first, token, depth), 1
        if name in NAMESPACES:
            if first is None or second is None or second.data != "call":
                raise self.error(
                    token,
                    f"{name} is a group of functions, not a value",
                    expected=[f"{name}.<function>(...)"],
                    found=repr(name),
                )
            member = first.children[0]
            function = FUNCTIONS.get(f"{name}.{member}")
            if function is None:
                raise self.unknown_function(member, f"{name}.{member}")
            return self.call(function, second, member, depth), 2
        if name in VARIABLES:
            if (
                name == "user"
                and first is not None
                and second is not None
                and second.data == "call"
                and str(first.children[0]) in USER_METHODS
            ):
                member = first.children[0]
                call = self.call(USER_METHODS[str(member)], second, member, depth)
                return self.user_method(call), 2
            return self.variable(name), 0
        if name in FUNCTIONS:
            raise self.error(
                token,
                f"{name} is a function; call it with arguments in parentheses",
                expected=[f"{name}(...)"],
                found=repr(name),
            )
        raise self.error(
            token,
            f"unknown variable {name!r}",
            expected=list(VARIABLES),
            found=repr(name),
        )

    def unknown_function(self, token: Token, name: str) -> ExpressionSyntaxError:
        namespace = name.split(".", 1)[0] if "." in name else None
        candidates = sorted(
            f"{known}(...)"
            for known in FUNCTIONS
            if (known.split(".", 1)[0] == namespace if namespace else "." not in known)
        )
        return self.error(
            token, f"unknown function {name!r}", expected=candidates, found=repr(name)
        )

    def variable(self, name: str) -> Node:
        if name == "user":
            self.reads_user = True

        def node(run: Run) -> Any:
            run.steps += NODE_STEPS
            if run.steps > run.max_steps:
                run.tick(0)  # raises: the budget is exceeded
            return run.env.variable(name)

        self.variables[node] = name
        return node

    def user_method(self, call: Node) -> Node:
        user = self.variable("user")

        def node(run: Run) -> Any:
            # With no user (client credentials) every membership test is simply false.
            if user(run) is None:
                return False
            return call(run)

        return node

    def call(self, function: Function, call: Tree, token: Token, depth: int) -> Node:
        arguments = [self.compile(child, depth + 1) for child in call.children]
        problem = function.arity_error(len(arguments))
        if problem is not None:
            raise self.error(
                token,
                problem,
                expected=[f"{function.describe_arity()}"],
                found=f"{len(arguments)} argument{'s' if len(arguments) != 1 else ''}",
            )
        if function.reads_user:
            self.reads_user = True
        for index in function.regex_args:
            if index < len(arguments):
                arguments[index] = self.precompile_regex(arguments[index])
        return call_node(function.name, function.impl, arguments)

    def precompile_regex(self, argument: Node) -> Node:
        """Literal patterns compile now, so a bad one is a save-time error with a position."""
        if argument not in self.literals or not isinstance(self.literals[argument][0], str):
            return argument
        pattern, token = self.literals[argument]
        try:
            prepared = Precompiled(compile_safe_regex(pattern))
        except RegexSyntaxError as exc:
            line, column = token.line, token.column
            # Point inside the literal when its text maps one to one onto the pattern.
            if str(token)[1:-1] == pattern and exc.line == 1:
                column += exc.column
            raise ExpressionSyntaxError(
                f"invalid regular expression: {exc.message}",
                line=line,
                column=column,
                expected=[exc.expected] if exc.expected else [],
                found=repr(exc.found) if exc.found else "",
            ) from None

        def node(run: Run) -> Precompiled:
            run.steps += NODE_STEPS
            if run.steps > run.max_steps:
                run.tick(0)  # raises: the budget is exceeded
            return prepared

        return node
