"""A claim test's inputs and expectations are validated strictly, with messages saying the fix."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from oidc_claims.models.claim_tests import ClaimTest, expectation_problems
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db

OK = {"destination": "id_token", "claim": "email", "operator": "equals", "value": "a@b.c"}


@pytest.mark.parametrize(
    ("expectations", "problem"),
    [
        ({"a": 1}, "Expectations must be a JSON list of objects"),
        ([], "Give at least one expectation"),
        (["email"], "Expectation 1: expected an object"),
        (
            [OK, {**OK, "destination": "token"}],
            "Expectation 2: destination 'token' is not one of "
            "id_token, access_token, userinfo, introspection.",
        ),
        (
            [{**OK, "operator": "eq"}],
            "operator 'eq' is not one of equals, absent, contains, matches.",
        ),
        ([{**OK, "claim": " "}], 'claim: give the claim name as text, e.g. "email".'),
        ([{**OK, "claim": 3}], "claim: give the claim name as text"),
        ([{**OK, "operator": "absent"}], 'the "absent" operator takes no value; remove "value".'),
        (
            [{"destination": "userinfo", "claim": "x", "operator": "contains"}],
            'the "contains" operator needs a "value".',
        ),
        (
            [{**OK, "operator": "matches", "value": "(a)\\1"}],
            "invalid regular expression: Line 1, column 4: a backreference is not supported",
        ),
        (
            [{**OK, "operator": "matches", "value": "(unclosed"}],
            "invalid regular expression: Line 1",
        ),
        ([{**OK, "operator": "matches", "value": 3}], "needs a regular expression as text"),
        ([{**OK, "extra": 1}], "unknown key(s) extra"),
        ([OK] * 101, "101 expectations, more than 100; split the test."),
    ],
)
def test_bad_expectations_are_refused_with_the_fix(expectations, problem):
    problems = expectation_problems(expectations)
    assert any(problem in found for found in problems), problems


def test_valid_expectations_of_every_operator():
    assert (
        expectation_problems(
            [
                OK,
                {
                    "destination": "access_token",
                    "claim": "groups",
                    "operator": "contains",
                    "value": "a",
                },
                {"destination": "userinfo", "claim": "phone", "operator": "absent"},
                {
                    "destination": "introspection",
                    "claim": "sub",
                    "operator": "matches",
                    "value": "^u",
                },
            ]
        )
        == []
    )


def test_clean_reports_each_field():
    test = ClaimTest(
        name="t",
        application=ApplicationFactory(),
        grant_type="authorization_code",
        scopes=["openid", "bad scope"],
        claims_parameter={"id_token": "email"},
        expectations=[{**OK, "destination": "nowhere"}],
    )
    with pytest.raises(ValidationError) as raised:
        test.full_clean()
    errors = raised.value.message_dict
    assert errors["user"] == [
        "The authorization_code grant issues tokens to a user; choose one (only "
        "client_credentials has no user)."
    ]
    assert errors["scopes"] == [
        "Not a scope name (RFC 6749 3.3, no spaces or quotes): 'bad scope'."
    ]
    assert "claims_parameter" in errors
    assert errors["expectations"][0].startswith("Expectation 1: destination 'nowhere'")


def test_unknown_grant_and_nul_text_are_refused():
    test = ClaimTest(
        name="t",
        application=ApplicationFactory(),
        user=UserFactory(),
        grant_type="magic",
        expectations=[{**OK, "value": "a\x00b"}],
    )
    with pytest.raises(ValidationError) as raised:
        test.full_clean()
    errors = raised.value.message_dict
    assert "grant_type" in errors
    assert errors["expectations"] == ["A string contains a NUL character (\\u0000); remove it."]


def test_client_credentials_needs_no_user():
    ClaimTest(
        name="machine",
        application=ApplicationFactory(),
        grant_type="client_credentials",
        expectations=[OK],
    ).full_clean()
