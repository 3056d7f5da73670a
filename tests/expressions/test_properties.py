"""Property tests: compiling and evaluating end only in the documented outcomes."""

import json

from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oidc_claims.expressions import (
    CompiledExpression,
    EvaluationBudgetExceededError,
    ExpressionEvaluationError,
    ExpressionSyntaxError,
    GroupInfo,
    compile_expression,
)
from oidc_claims.expressions.functions import FUNCTIONS
from tests.expressions_env import FakeEnvironment

BOUNDED = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

TOKENS = [
    "user",
    "app",
    "access",
    ".",
    "email",
    "profile",
    "scope",
    "(",
    ")",
    "{",
    "}",
    ",",
    "+",
    "-",
    "*",
    "/",
    "%",
    "==",
    "!=",
    "<",
    ">=",
    "&&",
    "||",
    "!",
    "AND",
    "or",
    "?",
    ":",
    "true",
    "false",
    "null",
    "1",
    "2.5",
    '"a"',
    "'b'",
    '"\\u00e9"',
    '"\\',
    "String.len",
    "Arrays.get",
    "Groups.startsWith",
    "isMemberOfGroupName",
    " ",
    "\n",
    "@",
    "__class__",
    "9" * 25,
]


def make_env():
    return FakeEnvironment(
        user={"email": "ada@example.com", "age": 36, "tags": ["x", "y"]},
        app={"id": 7, "profile": {"label": "Portal", "nested": {"n": [1, 2]}, "none": None}},
        access={"scope": ["openid", "email"], "grantType": "authorization_code"},
        groups=[GroupInfo(1, "engineering"), GroupInfo(2, "Sales")],
    )


def is_json(value) -> bool:
    if value is None or isinstance(value, (str, bool, int, float)):
        return True
    if isinstance(value, list):
        return all(is_json(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(key, str) and is_json(item) for key, item in value.items())
    return False


def compiles_or_syntax_error(text: str) -> None:
    try:
        compiled = compile_expression(text)
    except ExpressionSyntaxError as error:
        assert error.line >= 1 and error.column >= 1
        return
    assert isinstance(compiled, CompiledExpression)
    evaluates_to_json_or_error(compiled)


def evaluates_to_json_or_error(compiled: CompiledExpression) -> None:
    try:
        value = compiled.evaluate(make_env())
    except ExpressionEvaluationError:
        return
    assert is_json(value)
    json.dumps(value, allow_nan=False)


@BOUNDED
@given(st.text(max_size=120))
def test_any_text_compiles_or_is_a_syntax_error(text):
    compiles_or_syntax_error(text)


@BOUNDED
@given(st.lists(st.sampled_from(TOKENS), max_size=30).map("".join))
def test_token_soup_compiles_or_is_a_syntax_error(text):
    compiles_or_syntax_error(text)


LEAVES = st.sampled_from(
    [
        '"a"',
        "'eng'",
        '""',
        "0",
        "1",
        "-3",
        "2.5",
        "true",
        "false",
        "null",
        "{}",
        '{"a", 1}',
        "user",
        "user.email",
        "user.age",
        "user.tags",
        "user.password",
        "app",
        "app.profile",
        "app.profile.label",
        "app.profile.nested",
        "app.profile.nested.n",
        "app.profile.none.x",
        "access.scope",
        "access.grantType",
        "Time.now()",
        '"9999999999"',
        "9223372036854775807",
    ]
)
FUNCTION_NAMES = sorted(FUNCTIONS)


def _call(draw_args):
    def build(name_and_args):
        name, args = name_and_args
        function = FUNCTIONS[name]
        most = len(args) if function.max_args is None else function.max_args
        count = max(function.min_args, min(len(args), most))
        padded = (args + ['"x"'] * count)[:count]
        if function.arity_error(len(padded)):  # String.stringSwitch wants key/value pairs
            padded.append('"x"')
        return f"{name}({', '.join(padded)})"

    return st.tuples(st.sampled_from(FUNCTION_NAMES), st.lists(draw_args, max_size=4)).map(build)


def _extend(children):
    binary = st.tuples(
        children,
        st.sampled_from(["+", "-", "*", "/", "%", "==", "!=", "<", ">=", "&&", "||", "AND", "OR"]),
        children,
    ).map(lambda parts: f"({parts[0]} {parts[1]} {parts[2]})")
    return st.one_of(
        binary,
        children.map(lambda child: f"!({child})"),
        children.map(lambda child: f"-({child})"),
        st.tuples(children, children, children).map(lambda p: f"({p[0]} ? {p[1]} : {p[2]})"),
        st.lists(children, max_size=3).map(lambda items: "{" + ", ".join(items) + "}"),
        children.map(lambda child: f"({child}).label"),
        _call(children),
    )


EXPRESSIONS = st.recursive(LEAVES, _extend, max_leaves=12)


@BOUNDED
@given(EXPRESSIONS)
def test_generated_expressions_evaluate_to_json_or_an_evaluation_error(text):
    try:
        compiled = compile_expression(text)
    except ExpressionSyntaxError as error:
        # Only the limits may refuse a generated expression; its syntax is always valid.
        assert "nested more than" in error.message or "invalid regular expression" in error.message
        return
    evaluates_to_json_or_error(compiled)


PATHOLOGICAL = st.sampled_from(
    [
        "Arrays.flatten({items})",
        "Arrays.size(Arrays.flatten({items}))",
        'String.join(",", {items})',
        "Arrays.toCsvString(Arrays.flatten({items}))",
        "Arrays.contains(Arrays.flatten({items}), -1)",
        "{plus}",
    ]
)


@settings(max_examples=100, deadline=None)
@given(PATHOLOGICAL, st.integers(min_value=6, max_value=60))
def test_step_budget_always_ends_in_a_budget_error(shape, repetitions):
    env = FakeEnvironment(access={"scope": list(range(100))})
    text = shape.format(
        items=", ".join(["access.scope"] * repetitions),
        plus=" + ".join(["access.scope"] * repetitions),
    )
    with override_settings(OIDC_CLAIMS={"EXPRESSION_MAX_STEPS": 500}):
        compiled = compile_expression(text)
        try:
            compiled.evaluate(env)
        except EvaluationBudgetExceededError as error:
            assert error.limit == 500 and error.steps > 500
        else:
            raise AssertionError(f"{text} touches over 500 elements and must stop")
