"""What an expression can reach: only ExpressionObject.get_property, within bounded work."""

import contextlib

import pytest

from oidc_claims.expressions import (
    EvaluationBudgetExceededError,
    ExpressionEvaluationError,
    ExpressionObject,
    ExpressionSyntaxError,
    GroupInfo,
    compile_expression,
)
from tests.expressions_env import FakeEnvironment, SecretHolder, evaluate


class SpyObject(ExpressionObject):
    """Records every attribute the evaluator touches on it."""

    def __init__(self, properties):
        object.__setattr__(self, "touched", [])
        object.__setattr__(self, "properties", properties)
        object.__setattr__(self, "password", SecretHolder.password)

    def __getattribute__(self, name):
        # isinstance() itself falls back to __class__; that is Python, not the evaluator.
        if name not in ("touched", "properties", "__class__"):
            object.__getattribute__(self, "touched").append(name)
        return object.__getattribute__(self, name)

    def get_property(self, name):
        if name not in self.properties:
            raise ExpressionEvaluationError(f"no readable property {name!r}")
        return self.properties[name]


@pytest.fixture
def env():
    return FakeEnvironment(
        user={"email": "ada@example.com", "groups": ["a", "b"]},
        app={"profile": {"label": "Portal"}},
        access={"scope": ["openid"]},
    )



@pytest.mark.parametrize(
    "text",
    [
        "user.password",
        "user._state",
        "user.__class__",
        "user.__dict__",
        "user.save",
        "user.get_property",
        "user._wrapped",
        "app.__class__.__mro__",
    ],
)
def test_only_allow_listed_properties_are_readable(env, text):
    with pytest.raises(ExpressionEvaluationError) as caught:
        evaluate(text, env)
    assert SecretHolder.password not in str(caught.value)


@pytest.mark.parametrize(
    "text",
    [
        '"".__class__',
        '"abc".upper',
        "(1).__class__",
        "true.real",
        "{1}.__len__",
        "access.scope.pop",
        "user.email.__class__",
    ],
)
def test_no_properties_on_strings_numbers_booleans_arrays(env, text):
    with pytest.raises(ExpressionEvaluationError, match="cannot read property"):
        evaluate(text, env)


def test_dunder_names_on_json_objects_are_plain_missing_keys(env):
    assert evaluate("app.profile.__class__", env) is None
    assert evaluate("app.profile.keys", env) is None


@pytest.mark.parametrize(
    "text",
    [
        "user.save()",
        "user.groups.__len__()",
        "user.email.upper()",
        "app.profile.label()",
        '"abc"()',
        "(user)(1)",
        'String.__class__("x")',
        '__import__("os")',
        'eval("1")',
        "getattr(user, 'password')",
        "String.len.__call__(1)",
    ],
)
def test_only_library_functions_can_be_called(text):
    with pytest.raises(ExpressionSyntaxError):
        compile_expression(text)


def test_evaluator_uses_nothing_but_get_property():
    spy = SpyObject({"email": "ada@example.com", "nested": {"a": 1}})
    env = FakeEnvironment()
    env.user = spy
    for text in [
        "user.email",
        "user.nested.a",
        "user.missing.deeper",
        "user == user",
        "user == null",
        'user.isMemberOfGroupName("x")',
        "user",
        '"" + user',
        "user.__class__",
    ]:
        with contextlib.suppress(ExpressionEvaluationError):
            evaluate(text, env)
    assert set(spy.touched) == {"get_property"}


def test_string_growth_is_bounded(env, settings):
    settings.OIDC_CLAIMS = {"EXPRESSION_MAX_STRING_LENGTH": 1000}
    text = '"ab"'
    for _ in range(12):
        text = f'String.replace({text}, "", "ab")'
    with pytest.raises(ExpressionEvaluationError, match="EXPRESSION_MAX_STRING_LENGTH"):
        evaluate(text, env)
    concatenation = " + ".join(['"' + "x" * 300 + '"'] * 4)
    with pytest.raises(ExpressionEvaluationError, match="limit of 1000"):
        evaluate(concatenation, env)
    with pytest.raises(ExpressionEvaluationError, match="limit of 1000"):
        evaluate('String.join("' + "-" * 600 + '", "a", "b", "c")', env)


def test_step_budget_stops_a_pathological_expression():
    env = FakeEnvironment(access={"scope": [f"s{i}" for i in range(30_000)]})
    pathological = "Arrays.size(Arrays.flatten(" + ", ".join(["access.scope"] * 5) + "))"
    with pytest.raises(EvaluationBudgetExceededError) as caught:
        evaluate(pathological, env)
    assert caught.value.limit == 100_000
    assert caught.value.steps > 100_000
    # Each evaluation has its own budget: a smaller one still runs, repeatedly.
    small = compile_expression("Arrays.size(Arrays.flatten(access.scope))")
    assert small.evaluate(env) == 30_000
    assert small.evaluate(env) == 30_000


def test_step_budget_counts_nodes_and_array_growth(settings):
    settings.OIDC_CLAIMS = {"EXPRESSION_MAX_STEPS": 40}
    env = FakeEnvironment(access={"scope": ["a"] * 30})
    assert evaluate("1 + 1", env) == 2
    with pytest.raises(EvaluationBudgetExceededError) as caught:
        evaluate(" + ".join(["1"] * 50), env)
    assert caught.value.limit == 40
    with pytest.raises(EvaluationBudgetExceededError):
        evaluate("access.scope + access.scope", env)


def test_huge_repetition_in_source_is_bounded_by_the_length_limit():
    with pytest.raises(ExpressionSyntaxError, match="EXPRESSION_MAX_LENGTH"):
        compile_expression(" + ".join(['"x"'] * 2000))


def test_long_flat_expression_within_limits_evaluates(env):
    text = " + ".join(['"x"'] * 600)
    assert evaluate(text, env) == "x" * 600


def test_regex_group_checks_are_charged_by_pattern_size():
    """A short pattern that compiles to a huge program, matched against many groups, runs
    into the step budget instead of holding the token endpoint."""
    groups = [GroupInfo(id=i, name=f"group-{i}") for i in range(1000)]
    env = FakeEnvironment(user={}, groups=groups)
    explosive = 'isMemberOfGroupNameRegex(String.toLowerCase("(x|y){0,999}z{1,999}"))'
    with pytest.raises(EvaluationBudgetExceededError):
        evaluate(explosive, env)
    # An ordinary pattern over the same groups stays well inside the budget.
    assert evaluate('isMemberOfGroupNameRegex("group-99.")', env) is True
