"""Compiling names: variables, their properties, functions and methods, checked at save time.

A mixin of the compiler (:mod:`oidc_claims.expressions.compiler`): an unknown name is an
error at save time that lists the candidates, never a failure while a token is issued.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lark import Token, Tree

from oidc_claims.expressions.errors import ExpressionSyntaxError
from oidc_claims.expressions.functions import FUNCTIONS, NAMESPACES, USER_METHODS, Function
from oidc_claims.expressions.functions.base import Precompiled
from oidc_claims.expressions.nodes import call_node, variable_properties_node
from oidc_claims.expressions.runtime import NODE_STEPS, Run
from oidc_claims.expressions.safe_regex import RegexSyntaxError, compile_safe_regex
from oidc_claims.expressions.values import read_property

VARIABLES = ("user", "app", "access")

Node = Callable[[Run], Any]


class NameCompiler:
    """Names, properties and calls. The compiler provides ``compile``, ``error``,
    ``literals``, ``variables`` and ``reads_user``."""

    text: str
    literals: dict[Node, tuple[Any, Token]]
    variables: dict[Node, str]
    reads_user: bool

    def compile(self, tree: Tree, depth: int) -> Node:
        raise NotImplementedError

    def error(self, item: Tree | Token, message: str, **details: Any) -> ExpressionSyntaxError:
        raise NotImplementedError

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
