"""Claim tests over the API: CRUD with the model's validation, permissions, and runs."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from oidc_claims.models.claim_tests import ClaimTest
from tests.api_helpers import CLAIM_TEST_PERMS, issue_token, user_with
from tests.factories import (
    ApplicationFactory,
    ClaimDefinitionFactory,
    ClaimTestFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/claim-tests/"
RUN = "/api/v1/claim-tests/run/"
TEST_PERMS = CLAIM_TEST_PERMS
GOLD = {"destination": "id_token", "claim": "tier", "operator": "equals", "value": "gold"}


# The permissions of the `api` client (tests/conftest.py).
API_PERMISSIONS = [*TEST_PERMS, "preview_token"]


@pytest.fixture
def configured():
    ClaimDefinitionFactory(name="tier", value='"gold"', include_in_access_token=True)
    return ApplicationFactory(client_id="portal"), UserFactory(username="ada")


def new_test(**fields):
    return {
        "name": "ada is gold",
        "application": "portal",
        "user": "ada",
        "grant_type": "authorization_code",
        "scopes": ["openid"],
        "claims": {"id_token": {"tier": None}},
        "expectations": [GOLD],
        **fields,
    }


def test_create_retrieve_update_delete(api, configured):
    app, user = configured
    created = api.post(URL, new_test(), format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["application"] == "portal" and body["user"] == "ada"
    assert body["claims"] == {"id_token": {"tier": None}}
    test = ClaimTest.objects.get(pk=body["id"])
    assert (test.application, test.user, test.expectations) == (app, user, [GOLD])

    assert api.get(f"{URL}{test.pk}/").json() == body
    assert [item["name"] for item in api.get(URL).json()] == ["ada is gold"]

    patched = api.patch(f"{URL}{test.pk}/", {"enabled": False}, format="json")
    assert patched.status_code == 200 and patched.json()["enabled"] is False
    replaced = api.put(f"{URL}{test.pk}/", new_test(name="renamed", claims=None), format="json")
    assert replaced.status_code == 200, replaced.json()
    test.refresh_from_db()
    assert (test.name, test.enabled, test.claims_parameter) == ("renamed", True, None)

    assert api.delete(f"{URL}{test.pk}/").status_code == 204
    assert not ClaimTest.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"expectations": [{**GOLD, "operator": "is"}]},
            "expectations",
            "Expectation 1: operator 'is' is not one of equals, absent, contains, matches.",
        ),
        (
            {"expectations": [{**GOLD, "destination": "token"}]},
            "expectations",
            "Expectation 1: destination 'token' is not one of id_token, access_token, userinfo, "
            "introspection.",
        ),
        (
            {"expectations": [{**GOLD, "operator": "matches", "value": "(?=a)"}]},
            "expectations",
            "Expectation 1: invalid regular expression: Line 1, column 1: a lookaround is not "
            "supported: runs in linear time only",
        ),
        (
            {"expectations": [{**GOLD, "claim": ""}]},
            "expectations",
            'Expectation 1: claim: give the claim name as text, e.g. "email".',
        ),
        ({"expectations": []}, "expectations", "Give at least one expectation"),
        ({"user": "nobody"}, "user", "Object with username=nobody does not exist."),
        ({"application": "nope"}, "application", "Object with client_id=nope does not exist."),
        ({"user": None}, "user", "The authorization_code grant issues tokens to a user"),
        ({"grant_type": "magic"}, "grant_type", '"magic" is not a valid choice.'),
        ({"claims": {"id_token": "tier"}}, "claims", "claims"),
        ({"scopes": ["a b"]}, "scopes", "Not a scope name"),
    ],
)
def test_validation_errors_name_the_field_and_the_fix(api, configured, fields, field, message):
    response = api.post(URL, new_test(**fields), format="json")
    assert response.status_code == 400
    problems = response.json()[field]
    assert any(message in problem for problem in problems), problems
    assert not ClaimTest.objects.exists()


def test_duplicate_names_are_refused(api, configured):
    assert api.post(URL, new_test(), format="json").status_code == 201
    response = api.post(URL, new_test(), format="json")
    assert response.status_code == 400
    assert "name" in response.json()


def test_run_reports_each_test_with_actual_values(api, configured):
    app, user = configured
    ClaimTestFactory(name="gold", application=app, user=user, expectations=[GOLD])
    silver = ClaimTestFactory(
        name="silver",
        application=app,
        user=user,
        expectations=[{**GOLD, "destination": "introspection", "value": "silver"}],
    )
    response = api.post(RUN, {}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["ok"], body["total"], body["passed"], body["failed"]) == (False, 2, 1, 1)
    failed = body["results"][1]
    assert (failed["name"], failed["status"]) == ("silver", "failed")
    [expectation] = failed["expectations"]
    assert expectation["actual"] == "gold" and expectation["passed"] is False
    assert expectation["message"] == 'expected "silver"; found "gold"'

    only = api.post(RUN, {"ids": [silver.pk]}, format="json").json()
    assert [r["name"] for r in only["results"]] == ["silver"]


def test_run_refuses_unknown_ids(api, configured):
    response = api.post(RUN, {"ids": [999999]}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "ids": ["No claim test has id 999999; GET /claim-tests/ lists them."]
    }


def test_run_of_a_broken_test_reports_it(api, configured):
    app, _user = configured
    test = ClaimTestFactory(name="orphan", application=app, user=UserFactory(), expectations=[GOLD])
    test.user.delete()
    body = api.post(RUN, {}, format="json").json()
    assert body["errors"] == 1
    assert "no user (it was deleted)" in body["results"][0]["problems"][0]


def test_anonymous_is_401():
    client = APIClient()
    assert client.get(URL).status_code == 401
    assert client.post(RUN, {}, format="json").status_code == 401


def test_permissions_decide(configured):
    app, user = configured
    test = ClaimTestFactory(application=app, user=user, expectations=[GOLD])
    viewer = APIClient()
    viewer.force_login(user_with("view_claimtest"))
    assert viewer.get(URL).status_code == 200
    assert viewer.post(URL, new_test(name="x"), format="json").status_code == 403
    assert viewer.delete(f"{URL}{test.pk}/").status_code == 403
    # A run shows token payloads: it needs the preview permission too.
    assert viewer.post(RUN, {}, format="json").status_code == 403
    runner = APIClient()
    runner.force_login(user_with("view_claimtest", "preview_token"))
    assert runner.post(RUN, {}, format="json").status_code == 200
    nobody = APIClient()
    nobody.force_login(user_with("preview_token"))
    assert nobody.get(URL).status_code == 403


def test_a_read_token_may_run_but_not_write(configured):
    owner = user_with(*TEST_PERMS, "preview_token")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_token(owner, 'claims.read')}")
    assert client.post(RUN, {}, format="json").status_code == 200
    assert client.post(URL, new_test(), format="json").status_code == 403
