"""Operators, literals, properties and the value rules, against a fake environment."""

import pytest

from oidc_claims.expressions import GroupInfo
from tests.expressions_env import FakeEnvironment, evaluate, fails


@pytest.fixture
def env():
    return FakeEnvironment(
        user={"email": "ada@example.com", "firstName": "Ada", "lastName": "Lovelace", "age": 36},
        app={
            "id": 7,
            "name": "Portal",
            "profile": {"label": "Staff portal", "nested": {"level": 2}, "flag": None},
        },
        access={"scope": ["openid", "email"], "grantType": "authorization_code"},
        groups=[GroupInfo(1, "engineering"), GroupInfo(2, "Sales")],
    )




@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('"double"', "double"),
        ("'single'", "single"),
        ('"say \\"hi\\""', 'say "hi"'),
        ("'it\\'s'", "it's"),
        ('"tab\\tnew\\nline\\\\"', "tab\tnew\nline\\"),
        ('"\\u00e9\\ud83d\\ude00"', "é😀"),
        ('"eng\\d+"', "eng\\d+"),  # unknown escapes stay, so regular expressions migrate
        ("42", 42),
        ("3.25", 3.25),
        ("true", True),
        ("false", False),
        ("null", None),
        ("{}", []),
        ('{"a", 1, {true}}', ["a", 1, [True]]),
    ],
)
def test_literals(env, text, value):
    assert evaluate(text, env) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('user.firstName + " " + user.lastName', "Ada Lovelace"),
        ('"n=" + 1 + 2', "n=12"),
        ('1 + 2 + "=n"', "3=n"),
        ('"x" + true + null + 1.5', "xtrue1.5"),
        ("1 + 2.5", 3.5),
        ('{"a"} + {"b"}', ["a", "b"]),
        ("10 - 4 - 3", 3),
        ("2 * 3 + 4", 10),
        ("2 * (3 + 4)", 14),
        ("7 / 2", 3),
        ("-7 / 2", -3),
        ("7.0 / 2", 3.5),
        ("7 % 3", 1),
        ("-7 % 3", -1),
        ("-(2 + 3)", -5),
        ("--4", 4),
    ],
)
def test_arithmetic_and_concatenation(env, text, value):
    result = evaluate(text, env)
    assert result == value and type(result) is type(value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1 == 1.0", True),
        ('1 == "1"', False),
        ("true == 1", False),
        ("null == null", True),
        ("null != false", True),
        ('{1, "a"} == {1.0, "a"}', True),
        ("{1, 2} == {2, 1}", False),
        ("app.profile.nested == app.profile.nested", True),
        ("user == null", False),
        ("user == user", True),
        ("2 < 10", True),
        ('"2" < "10"', False),
        ("2 >= 2.0", True),
        ("1 <= 0", False),
        ('"b" > "a"', True),
    ],
)
def test_comparisons(env, text, value):
    assert evaluate(text, env) is value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("true && false", False),
        ("true || false", True),
        ("true AND true", True),
        ("false or true", True),
        ("true And false Or true", True),
        ("!true", False),
        ("!null", True),
        ("null || true", True),
        ("false && user.missingProperty", False),  # short-circuit: never read
        ("true || 1", True),
        ("true ? 1 : 2", 1),
        ("false ? 1 : 2", 2),
        ("app.profile.flag ? 1 : 2", 2),
        ("false ? 1 : true ? 2 : 3", 2),
    ],
)
def test_logic_and_conditional(env, text, value):
    assert evaluate(text, env) == value


def test_conditional_evaluates_only_the_chosen_branch(env):
    assert evaluate('true ? "ok" : user.missingProperty', env) == "ok"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("app.profile.label", "Staff portal"),
        ("app.profile.nested.level", 2),
        ("app.profile.missing", None),
        ("app.profile.missing.deeper", None),
        ("app.profile", {"label": "Staff portal", "nested": {"level": 2}, "flag": None}),
        ("access.scope", ["openid", "email"]),
        ("user.age", 36),
    ],
)
def test_properties(env, text, value):
    assert evaluate(text, env) == value


def test_result_is_a_fresh_copy(env):
    result = evaluate("app.profile", env)
    result["label"] = "changed"
    assert evaluate("app.profile.label", env) == "Staff portal"


def test_no_user_reads_as_null():
    env = FakeEnvironment(app={"name": "Portal"})
    assert evaluate("user", env) is None
    assert evaluate("user.email", env) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('1 + "a" - 1', "- needs two numbers, not a string and a number"),
        ("true + 1", "cannot add a boolean and a number"),
        ('"a" + {"b"}', "cannot add a string and an array"),
        ('1 < "2"', "cannot compare a number with a string using <"),
        ("null < 1", "cannot compare null with a number using <"),
        ('"yes" ? 1 : 2', "the condition before ? must be true or false, not a string"),
        ("1 && true", "each side of AND must be true or false, not a number"),
        ("!0", "the operand of ! must be true or false, not a number"),
        ('-"a"', "cannot negate a string"),
        ("1 / 0", "division by zero"),
        ("1.5 % 0", "division by zero"),
        ("user.password", "no readable property 'password'"),
        ("user", "not a JSON value"),
        ("{user}", "not a JSON value"),
        ("access.scope.length", "cannot read property 'length' of an array"),
        ("9223372036854775807 + 1", "too large"),
        ("3037000500 * 3037000500", "too large"),
    ],
)
def test_evaluation_errors(env, text, message):
    assert message in fails(text, env)
