"""The String, Arrays, Convert and Time functions, including Okta's documented examples."""

from datetime import datetime, timezone

import pytest

from tests.expressions_env import FakeEnvironment, evaluate, fails


@pytest.fixture
def env():
    return FakeEnvironment(
        user={"email": "ada@example.com", "nickName": None, "login": "ada.lovelace"},
        app={"profile": {"roles": ["SSO-admin", "SSO-user"], "csv": "a,b"}},
        access={"scope": ["openid", "email", "profile"]},
        now=datetime(2015, 7, 31, 17, 18, 37, 979000, tzinfo=timezone.utc),
    )




@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('String.substringBefore(user.email, "@")', "ada"),
        ('String.substringBefore("abc", "x")', "abc"),
        ('String.substringBefore("abc", "")', ""),
        ('String.substringAfter(user.email, "@")', "example.com"),
        ('String.substringAfter("abc", "x")', ""),
        ('String.substringAfter("abc", "")', "abc"),
        ('String.append("This is", " a test")', "This is a test"),
        ('String.append("n", 1)', "n1"),
        ('String.join(",", "This", "is", "a", "test")', "This,is,a,test"),
        ('String.join("", "This", "is")', "Thisis"),
        ('String.join(" ", access.scope, null, 2)', "openid email profile 2"),
        ('String.len("This")', 4),
        ('String.removeSpaces("This is a test")', "Thisisatest"),
        ('String.replace("This is a test", "is", "at")', "That at a test"),
        ('String.replace("a.b.c", ".", "")', "abc"),  # literal, not a pattern
        ('String.replace("ab", "", "-")', "-a-b-"),
        ('String.replaceFirst("This is a test", "is", "at")', "That is a test"),
        ('String.stringContains("This is a test", "test")', True),
        ('String.stringContains("This is a test", "doesn\'tExist")', False),
        ('String.stringSwitch("This is a test", "default", "key1", "value1")', "default"),
        ('String.stringSwitch("This is a test", "default", "test", "value1")', "value1"),
        (
            'String.stringSwitch("First match wins", "default", "absent", "value1", "wins",'
            ' "value2", "match", "value3")',
            "value2",
        ),
        ('String.stringSwitch("Substrings count", "default", "ring", "value1")', "value1"),
        ('String.substring("This is a test", 2, 9)', "is is a"),
        ('String.substring("abc", 0, 3)', "abc"),
        ('String.toUpperCase("This")', "THIS"),
        ('String.toLowerCase("This")', "this"),
        ('String.toLowerCase(String.substringBefore("Ada@Example.com", "@"))', "ada"),
        (
            'String.stringContains(user.login, "@") ? String.substringBefore(user.login, "@")'
            " : user.login",
            "ada.lovelace",
        ),
    ],
)
def test_string_functions(env, text, value):
    assert evaluate(text, env) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("String.toUpperCase(user.nickName)", None),
        ('String.substringBefore(user.nickName, "@")', None),
        ("String.len(user.nickName)", None),
        ('String.stringContains(user.nickName, "a")', False),
        ('String.stringSwitch(user.nickName, "none", "a", "b")', "none"),
    ],
)
def test_string_functions_keep_null(env, text, value):
    assert evaluate(text, env) == value


def test_string_functions_apply_to_each_element_of_an_array(env):
    assert evaluate('String.replace(app.profile.roles, "SSO-", "")', env) == ["admin", "user"]
    assert evaluate('String.toUpperCase({"a", null, {"b"}})', env) == ["A", None, ["B"]]
    assert evaluate('Arrays.flatten(String.replace(app.profile.roles, "SSO-", ""))', env) == [
        "admin",
        "user",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("String.len(5)", "String.len(): argument 1 must be a string, not a number"),
        ('String.substring("abc", 2, 1)', "String.substring(): indexes 2 to 1 are outside"),
        ('String.substring("abc", 0, 4)', "outside the text of length 3"),
        ('String.substring("abc", 0.5, 1)', "argument 2 must be a whole number"),
        ('String.join(1, "a")', "String.join(): argument 1 must be a string"),
        ('String.append("a", {"b"})', "String.append(): cannot turn an array into text"),
        ('String.stringSwitch("a", "b", 1, "c")', "argument 3 must be a string"),
    ],
)
def test_string_function_errors(env, text, message):
    assert message in fails(text, env)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('Arrays.contains(access.scope, "email")', True),
        ('Arrays.contains(access.scope, "phone")', False),
        ('Arrays.contains(app.profile.missing, "x")', False),
        ("Arrays.contains({1, 2}, 2.0)", True),
        ("Arrays.add({10, 20, 30}, 40)", [10, 20, 30, 40]),
        ('Arrays.add(null, "x")', ["x"]),
        ("Arrays.remove({10, 20, 30, 20}, 20)", [10, 30]),
        ("Arrays.clear({10, 20, 30})", []),
        ('Arrays.get({"a", "b"}, 1)', "b"),
        ('Arrays.get({"a", "b"}, 2)', None),
        ('Arrays.get({"a", "b"}, -1)', None),
        ("Arrays.flatten(10, {20}, {{30}, 40})", [10, 20, 30, 40]),
        ("Arrays.flatten({})", []),
        (
            "Arrays.flatten(access.scope, app.profile.missing, {null})",
            ["openid", "email", "profile"],
        ),
        ("Arrays.size(access.scope)", 3),
        ("Arrays.size(null)", 0),
        ("Arrays.isEmpty({})", True),
        ("Arrays.isEmpty({1})", False),
        ("Arrays.isEmpty(null)", True),
        ('Arrays.isEmpty("")', True),
        ('Arrays.isEmpty(Arrays.toCsvString({"a"}))', False),
        ('Arrays.toCsvString({"This", "is", " a ", "test"})', "This,is, a ,test"),
        ("Arrays.toCsvString({1, true, null})", "1,true,"),
        ("Arrays.toCsvString({})", ""),
        ('Arrays.add(Arrays.toCsvString({}) == "" ? {} : {1}, "x")', ["x"]),
    ],
)
def test_array_functions(env, text, value):
    assert evaluate(text, env) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('Arrays.size("abc")', "Arrays.size(): argument 1 must be an array, not a string"),
        ('Arrays.get({1}, "0")', "Arrays.get(): argument 2 must be a whole number"),
        ("Arrays.toCsvString({{1}})", "cannot turn an array into text"),
        ("Arrays.isEmpty(1)", "argument 1 must be an array"),
    ],
)
def test_array_function_errors(env, text, message):
    assert message in fails(text, env)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('Convert.toInt("1234")', 1234),
        ('Convert.toInt(" -12 ")', -12),
        ("Convert.toInt(123.4)", 123),
        ("Convert.toInt(123.5)", 124),
        ("Convert.toInt(-0.5)", 0),
        ('Convert.toInt("2.5")', 3),
        ("Convert.toInt(null)", None),
        ('Convert.toNum("1234.56")', 1234.56),
        ("Convert.toNum(3)", 3.0),
        ('Convert.toInt("7") + 1', 8),
    ],
)
def test_convert_functions(env, text, value):
    result = evaluate(text, env)
    assert result == value and type(result) is type(value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('Convert.toInt("12abc")', "Convert.toInt(): '12abc' is not a number"),
        ('Convert.toNum("1e400")', "is not a number"),
        ('Convert.toNum("nan")', "is not a number"),
        ("Convert.toInt(true)", "cannot convert a boolean to a number"),
    ],
)
def test_convert_errors(env, text, message):
    assert message in fails(text, env)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Time.now()", "2015-07-31T17:18:37.979Z"),
        ("Time.fromUnixToIso8601(0)", "1970-01-01T00:00:00.000Z"),
        ("Time.fromUnixToIso8601(1438363117.979)", "2015-07-31T17:18:37.979Z"),
        ('Time.fromUnixToIso8601("1438363117")', "2015-07-31T17:18:37.000Z"),
        ('Time.fromIso8601ToUnix("2015-07-31T17:18:37.979Z")', 1438363117),
        ('Time.fromIso8601ToUnix("2015-07-31T19:18:37+02:00")', 1438363117),
        ('Time.fromIso8601ToUnix("1970-01-01T00:01:00")', 60),
        ("Time.fromIso8601ToUnix(Time.now())", 1438363117),
    ],
)
def test_time_functions(env, text, value):
    assert evaluate(text, env) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('Time.fromIso8601ToUnix("yesterday")', "Time.fromIso8601ToUnix(): Invalid isoformat"),
        ("Time.fromUnixToIso8601(99999999999999)", "outside the supported range"),
        ("Time.fromUnixToIso8601(true)", "argument 1 must be a number of seconds"),
    ],
)
def test_time_errors(env, text, message):
    assert message in fails(text, env)
