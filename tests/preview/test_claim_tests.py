"""Claim tests run on the token preview: every operator on every destination, and the
tests that cannot vouch for real tokens (deleted user or application, refused requests)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from oidc_claims.models.claim_tests import ClaimTest
from oidc_claims.preview.build import build_preview
from oidc_claims.preview.claim_tests import ERROR, FAILED, PASSED, run_claim_test, run_claim_tests
from tests.factories import (
    ApplicationFactory,
    ClaimDefinitionFactory,
    ClaimTestFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DESTINATIONS = ["id_token", "access_token", "userinfo", "introspection"]
# (operator, claim, value, passes); "value" left out for absent.
CASES = [
    ("equals", "tier", "gold", True),
    ("equals", "tier", "silver", False),
    ("equals", "tier", ["gold"], False),
    ("absent", "nickname", None, True),
    ("absent", "tier", None, False),
    ("contains", "teams", "eng", True),
    ("contains", "teams", "ops", False),
    ("contains", "mail", "@example.", True),
    ("contains", "tier", 1, False),
    ("matches", "mail", r"^ada@example\.com$", True),
    ("matches", "mail", "^bob", False),
    ("matches", "teams", "eng", False),
    ("equals", "missing", "x", False),
]


@pytest.fixture
def request_():
    return RequestFactory().get("/")


@pytest.fixture
def setup():
    app = ApplicationFactory(client_id="portal")
    user = UserFactory(username="ada", email="ada@example.com")
    everywhere = {"include_in_access_token": True}
    ClaimDefinitionFactory(name="tier", value='"gold"', **everywhere)
    ClaimDefinitionFactory(name="teams", value='{"eng", "web"}', **everywhere)
    ClaimDefinitionFactory(name="mail", value="user.email", **everywhere)
    return app, user


def expectation(destination, operator, claim, value):
    item = {"destination": destination, "claim": claim, "operator": operator}
    if operator != "absent":
        item["value"] = value
    return item


@pytest.mark.parametrize("destination", DESTINATIONS)
@pytest.mark.parametrize(("operator", "claim", "value", "passes"), CASES)
def test_each_operator_passes_and_fails_on_each_destination(
    setup, request_, destination, operator, claim, value, passes
):
    app, user = setup
    test = ClaimTestFactory(
        application=app,
        user=user,
        expectations=[expectation(destination, operator, claim, value)],
    )
    result = run_claim_test(test, request=request_)
    assert result.status == (PASSED if passes else FAILED), result
    [checked] = result.expectations
    assert checked.passed is passes
    preview = build_preview(app, "authorization_code", user, ["openid"], request=request_)
    payload = preview[destination]["payload"]
    # The actual value reported is the preview's (the payload issuance builds).
    assert checked.present is (claim in payload)
    assert checked.actual == payload.get(claim)
    if not passes:
        assert checked.message.startswith("expected")


def test_a_failure_says_what_was_expected_and_found(setup, request_):
    app, user = setup
    test = ClaimTestFactory(
        application=app,
        user=user,
        expectations=[
            {"destination": "access_token", "claim": "tier", "operator": "equals", "value": 1},
            {"destination": "userinfo", "claim": "teams", "operator": "absent"},
        ],
    )
    result = run_claim_test(test, request=request_)
    assert [e.message for e in result.failures()] == [
        'expected 1; found "gold"',
        'expected no such claim; found ["eng", "web"]',
    ]


def test_json_equality_is_strict_about_types(request_):
    app, user = ApplicationFactory(), UserFactory()
    ClaimDefinitionFactory(name="flag", value="true")
    ClaimDefinitionFactory(name="count", value="1")
    test = ClaimTestFactory(
        application=app,
        user=user,
        expectations=[
            {"destination": "id_token", "claim": "flag", "operator": "equals", "value": 1},
            {"destination": "id_token", "claim": "count", "operator": "equals", "value": True},
            {"destination": "id_token", "claim": "count", "operator": "equals", "value": 1.0},
            {"destination": "id_token", "claim": "count", "operator": "equals", "value": "1"},
        ],
    )
    assert [e.passed for e in run_claim_test(test, request=request_).expectations] == [
        False,
        False,
        True,
        False,
    ]


def test_the_claims_parameter_brings_a_userinfo_claim_into_the_id_token(request_):
    app, user = ApplicationFactory(), UserFactory(username="ada")
    ClaimDefinitionFactory(name="nick", value="user.username", include_in_id_token=False)
    in_id_token = {"destination": "id_token", "claim": "nick", "operator": "equals", "value": "ada"}
    plain = ClaimTestFactory(application=app, user=user, expectations=[in_id_token])
    requested = ClaimTestFactory(
        application=app,
        user=user,
        claims_parameter={"id_token": {"nick": None}},
        expectations=[in_id_token],
    )
    assert run_claim_test(plain, request=request_).status == FAILED
    result = run_claim_test(requested, request=request_)
    assert result.status == PASSED
    assert result.inputs["claims"] == {"id_token": {"nick": None}}


def test_a_claim_limited_to_a_scope_is_absent_without_it(request_):
    app, user = ApplicationFactory(), UserFactory()
    ClaimDefinitionFactory(name="mail", value="user.email", scopes=["email"])
    absent = {"destination": "userinfo", "claim": "mail", "operator": "absent"}
    without = ClaimTestFactory(application=app, user=user, expectations=[absent])
    with_scope = ClaimTestFactory(
        application=app, user=user, scopes=["openid", "email"], expectations=[absent]
    )
    assert run_claim_test(without, request=request_).status == PASSED
    assert run_claim_test(with_scope, request=request_).status == FAILED


def test_no_id_token_without_openid_absent_passes_others_fail(request_):
    app, user = ApplicationFactory(), UserFactory()
    ClaimDefinitionFactory(name="tier", value='"gold"')
    test = ClaimTestFactory(
        application=app,
        user=user,
        scopes=[],
        expectations=[
            {"destination": "id_token", "claim": "tier", "operator": "absent"},
            {"destination": "id_token", "claim": "tier", "operator": "equals", "value": "gold"},
        ],
    )
    first, second = run_claim_test(test, request=request_).expectations
    assert first.passed and not second.passed
    assert second.message == "No ID token without the openid scope."


def test_a_deleted_user_is_reported_not_raised(request_):
    test = ClaimTestFactory(
        expectations=[{"destination": "id_token", "claim": "sub", "operator": "absent"}]
    )
    test.user.delete()
    test.refresh_from_db()
    result = run_claim_test(test, request=request_)
    assert result.status == ERROR
    assert result.problems == [
        "The test has no user (it was deleted); the authorization_code grant needs one. "
        "Choose a user for the test."
    ]


def test_a_deleted_application_is_reported_not_raised(request_):
    test = ClaimTestFactory(
        expectations=[{"destination": "id_token", "claim": "sub", "operator": "absent"}]
    )
    test.application.delete()
    test.refresh_from_db()
    result = run_claim_test(test, request=request_)
    assert result.status == ERROR
    assert "application was deleted" in result.problems[0]


def test_a_deactivated_user_fails_with_the_reason(request_):
    user = UserFactory(username="gone", is_active=False)
    ClaimDefinitionFactory(name="tier", value='"gold"')
    test = ClaimTestFactory(
        user=user,
        expectations=[
            {"destination": "id_token", "claim": "tier", "operator": "equals", "value": "gold"}
        ],
    )
    result = run_claim_test(test, request=request_)
    assert result.status == FAILED
    assert result.expectations[0].passed  # the claims are shown, the test still fails
    assert result.problems == ["User 'gone' is deactivated: a real token request would be refused."]


def test_an_application_not_registered_for_the_grant_fails(request_):
    app = ApplicationFactory(name="Machine", authorization_grant_type="client-credentials")
    test = ClaimTestFactory(
        application=app,
        expectations=[{"destination": "id_token", "claim": "nope", "operator": "absent"}],
    )
    result = run_claim_test(test, request=request_)
    assert result.status == FAILED
    assert "unauthorized_client" in result.problems[0]


def test_client_credentials_needs_no_user(request_):
    app = ApplicationFactory(client_id="machine", authorization_grant_type="client-credentials")
    ClaimDefinitionFactory(name="client", value="app.clientId", include_in_access_token=True)
    test = ClaimTestFactory(
        application=app,
        user=None,
        grant_type="client_credentials",
        scopes=[],
        expectations=[
            {
                "destination": "access_token",
                "claim": "client",
                "operator": "equals",
                "value": "machine",
            },
            {
                "destination": "introspection",
                "claim": "client",
                "operator": "equals",
                "value": "machine",
            },
            {"destination": "userinfo", "claim": "client", "operator": "absent"},
        ],
    )
    assert run_claim_test(test, request=request_).status == PASSED


def test_an_opaque_access_token_is_tested_at_introspection(settings, request_):
    settings.OIDC_CLAIMS = {**settings.OIDC_CLAIMS, "ACCESS_TOKEN_FORMAT": "opaque"}
    app, user = ApplicationFactory(), UserFactory()
    ClaimDefinitionFactory(name="tier", value='"gold"', include_in_access_token=True)
    test = ClaimTestFactory(
        application=app,
        user=user,
        expectations=[
            {"destination": "access_token", "claim": "tier", "operator": "equals", "value": "gold"},
            {
                "destination": "introspection",
                "claim": "tier",
                "operator": "equals",
                "value": "gold",
            },
        ],
    )
    at, introspection = run_claim_test(test, request=request_).expectations
    assert not at.passed and "Opaque access token" in at.message
    assert introspection.passed


def test_a_run_takes_the_enabled_tests_by_name(request_):
    ok = {"destination": "id_token", "claim": "nope", "operator": "absent"}
    ClaimTestFactory(name="b", expectations=[ok])
    ClaimTestFactory(name="a", expectations=[ok])
    ClaimTestFactory(name="c", expectations=[ok], enabled=False)
    report = run_claim_tests(request=request_)
    assert [r.name for r in report.results] == ["a", "b"]
    assert report.as_dict()["ok"] is True
    assert report.as_dict()["passed"] == 2


def test_expectations_stored_past_validation_are_an_error_not_a_crash(request_):
    test = ClaimTestFactory(
        expectations=[{"destination": "id_token", "claim": "x", "operator": "absent"}]
    )
    ClaimTest.objects.filter(pk=test.pk).update(expectations=[{"destination": "cookie"}])
    test.refresh_from_db()
    result = run_claim_test(test, request=request_)
    assert result.status == ERROR
    assert result.problems[0].startswith("Expectation 1: destination 'cookie' is not one of")


def test_a_claim_selected_for_another_application_is_absent(request_):
    portal, other = ApplicationFactory(client_id="portal"), ApplicationFactory(client_id="other")
    ClaimDefinitionFactory(name="tier", value='"gold"', applications=[other])
    absent = {"destination": "id_token", "claim": "tier", "operator": "absent"}
    gold = {"destination": "id_token", "claim": "tier", "operator": "equals", "value": "gold"}
    test = ClaimTestFactory(application=portal, expectations=[absent])
    assert run_claim_test(test, request=request_).status == PASSED
    test = ClaimTestFactory(application=other, expectations=[gold])
    assert run_claim_test(test, request=request_).status == PASSED
