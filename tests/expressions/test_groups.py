"""Group functions: membership tests, group lists, limits and the no-user case."""

import pytest

from oidc_claims.expressions import (
    ExpressionEvaluationError,
    GroupInfo,
    GroupLimitExceeded,
)
from tests.expressions_env import FakeEnvironment, evaluate

GROUPS = [
    GroupInfo(1, "engineering"),
    GroupInfo(2, "Eng-Backend"),
    GroupInfo(3, "Sales"),
    GroupInfo("00g4", "sales-emea"),
]


@pytest.fixture
def env():
    return FakeEnvironment(user={"email": "ada@example.com"}, app={"profile": {}}, groups=GROUPS)


@pytest.fixture
def no_user():
    return FakeEnvironment(groups=GROUPS)



@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('user.isMemberOfGroupName("engineering")', True),
        ('user.isMemberOfGroupName("Engineering")', False),
        ('isMemberOfGroupName("Sales")', True),
        ('isMemberOfGroupName("sales")', False),
        ('isMemberOfGroupNameStartsWith("ENG-")', True),
        ('user.isMemberOfGroupNameStartsWith("mark")', False),
        ('isMemberOfGroupNameContains("BACK")', True),
        ('isMemberOfGroupNameContains("ops")', False),
        ('isMemberOfGroupNameRegex("Eng-[A-Za-z]+")', True),
        ('isMemberOfGroupNameRegex("eng")', False),  # the whole name must match
        ('isMemberOfGroupNameRegex("(?i)SALES-.*")', True),
        ('isMemberOfGroupNameRegex("sales-\\w{4}")', True),
        ('user.isMemberOfGroupNameRegex(app.profile.pattern == null ? "Sa.es" : "x")', True),
        ("isMemberOfAnyGroup(3, 99)", True),
        ('isMemberOfAnyGroup("3")', True),
        ('isMemberOfAnyGroup({"00g4"})', True),
        ('isMemberOfAnyGroup(99, "Sales")', False),  # ids, not names
    ],
)
def test_membership(env, text, value):
    assert evaluate(text, env) is value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('Groups.startsWith("OKTA", "eng", 10)', ["engineering", "Eng-Backend"]),
        ('Groups.startsWith("okta", "ENG", 10)', ["engineering", "Eng-Backend"]),
        ('Groups.contains("OKTA", "sale", 10)', ["Sales", "sales-emea"]),
        ('Groups.endsWith("OKTA", "ING", 10)', ["engineering"]),
        ('Groups.startsWith("OKTA", "", 10)', [g.name for g in GROUPS]),
        ('Groups.startsWith("OKTA", "zzz", 1)', []),
        ('Groups.startsWith("active_directory", "eng", 10)', []),
        ('Groups.startsWith("0oa13c5hnZFqZsoS00g4", "eng", 10)', []),
        ('getFilteredGroups({"Sales", 1, "Finance"}, "group.name", 10)', ["Sales", "engineering"]),
        ('getFilteredGroups({"00g4", "Sales", 3}, "group.id", 10)', ["00g4", 3]),
        ('getFilteredGroups({"Sales"}, "group.profile.name", 10)', ["Sales"]),
        ('getFilteredGroups({}, "group.name", 10)', []),
        ('getFilteredGroups(null, "group.name", 10)', []),
    ],
)
def test_group_lists(env, text, value):
    assert evaluate(text, env) == value


@pytest.mark.parametrize(
    ("text", "limit", "count"),
    [
        ('Groups.startsWith("OKTA", "eng", 1)', 1, 2),
        ('Groups.contains("OKTA", "", 3)', 3, 4),
        ('getFilteredGroups({1, 2, 3}, "group.name", 2)', 2, 3),
    ],
)
def test_more_matches_than_the_limit_raise_instead_of_truncating(env, text, limit, count):
    with pytest.raises(GroupLimitExceeded) as caught:
        evaluate(text, env)
    assert (caught.value.limit, caught.value.count) == (limit, count)
    assert isinstance(caught.value, ExpressionEvaluationError)


def test_okta_membership_example(env):
    text = 'user.isMemberOfGroupName("engineering") ? "eng" : "other"'
    assert evaluate(text, env) == "eng"
    assert evaluate(text, FakeEnvironment(user={}, groups=[GroupInfo(9, "Sales")])) == "other"


def test_limit_exactly_reached_is_fine(env):
    assert evaluate('Groups.startsWith("OKTA", "eng", 2)', env) == ["engineering", "Eng-Backend"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('Groups.startsWith("OKTA", "eng", 0)', "the limit) must be at least 1"),
        ('Groups.startsWith("OKTA", "eng", "10")', "argument 3 must be a whole number"),
        ('Groups.startsWith("OKTA", 1, 10)', "argument 2 must be a string"),
        ('getFilteredGroups({1}, "group.email", 10)', "argument 2 must be one of group.name"),
        (
            'isMemberOfGroupNameRegex(app.profile.pattern == null ? "(a)\\\\1" : "")',
            "not a usable pattern",
        ),
        ("isMemberOfGroupName(1)", "argument 1 must be a string"),
    ],
)
def test_errors(env, text, message):
    with pytest.raises(ExpressionEvaluationError) as caught:
        evaluate(text, env)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    "text",
    [
        'user.isMemberOfGroupName("engineering")',
        'user.isMemberOfGroupNameStartsWith("eng")',
        'user.isMemberOfGroupNameContains("eng")',
        'user.isMemberOfGroupNameRegex(".*")',
        "user.isMemberOfAnyGroup(1)",
        'isMemberOfGroupName("engineering")',
    ],
)
def test_without_a_user_membership_is_false(no_user, text):
    assert evaluate(text, no_user) is False


def test_user_method_without_user_does_not_load_groups(no_user):
    evaluate('user.isMemberOfGroupName("engineering")', no_user)
    assert no_user.group_loads == 0


def test_without_a_user_group_lists_are_empty(no_user):
    assert evaluate('Groups.startsWith("OKTA", "", 10)', no_user) == []
    assert evaluate('getFilteredGroups({1}, "group.name", 10)', no_user) == []
