"""API writes run the claim tests first: a change that breaks a passing test is a 409 with
the failures, saved only when confirmed, and refused outright when tests are required."""

from __future__ import annotations

import pytest

from oidc_claims.models import AppProfile, ClaimDefinition
from oidc_claims.models.claim_tests import ClaimTest
from tests.api_helpers import ALL_PERMS, gold
from tests.factories import (
    ApplicationFactory,
    ClaimDefinitionFactory,
    ClaimTestFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CLAIMS = "/api/v1/claims/"
PROFILES = "/api/v1/app-profiles/"
CONFIRM = "?confirm_failing_tests=true"

# The permissions of the `api` client (tests/conftest.py).
API_PERMISSIONS = ALL_PERMS


def test_an_update_that_breaks_a_test_is_409_and_saves_nothing(api, tier):
    response = api.patch(f"{CLAIMS}{tier.pk}/", {"value": '"silver"'}, format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "claim_tests_failed"
    assert body["detail"] == (
        "This change makes 1 passing claim test(s) fail; nothing was saved. Repeat the "
        "request with ?confirm_failing_tests=true to save it anyway."
    )
    [failing] = body["claim_tests"]["newly_failing"]
    assert failing["name"] == "portal users are gold"
    assert failing["expectations"][0]["actual"] == "silver"
    assert body["claim_tests"]["already_failing"] == []
    assert body["claim_tests"]["required"] is False
    tier.refresh_from_db()
    assert tier.value == "app.profile.tier"


def test_a_confirmed_update_is_saved(api, tier):
    response = api.patch(f"{CLAIMS}{tier.pk}/{CONFIRM}", {"value": '"silver"'}, format="json")
    assert response.status_code == 200, response.json()
    tier.refresh_from_db()
    assert tier.value == '"silver"'


def test_with_tests_required_the_change_is_refused_even_confirmed(api, tier, settings):
    settings.OIDC_CLAIMS = {**settings.OIDC_CLAIMS, "CLAIM_TESTS_REQUIRED": True}
    response = api.patch(f"{CLAIMS}{tier.pk}/{CONFIRM}", {"value": '"silver"'}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "claim_tests_required"
    assert response.json()["claim_tests"]["required"] is True
    tier.refresh_from_db()
    assert tier.value == "app.profile.tier"


def test_a_change_that_keeps_tests_green_is_saved_at_once(api, tier):
    response = api.patch(f"{CLAIMS}{tier.pk}/", {"description": "from the profile"}, format="json")
    assert response.status_code == 200


def test_a_test_failing_before_the_change_does_not_block_it(api, tier, portal):
    ClaimTestFactory(
        name="already red",
        application=portal,
        user=UserFactory(),
        expectations=[gold(value="platinum")],
    )
    response = api.patch(f"{CLAIMS}{tier.pk}/", {"description": "x"}, format="json")
    assert response.status_code == 200
    # Together with a newly failing one, it is reported apart.
    response = api.patch(f"{CLAIMS}{tier.pk}/", {"value": '"silver"'}, format="json")
    body = response.json()["claim_tests"]
    assert [r["name"] for r in body["newly_failing"]] == ["portal users are gold"]
    assert [r["name"] for r in body["already_failing"]] == ["already red"]


def test_create_and_put_are_gated(api, portal):
    ClaimTestFactory(
        application=portal,
        user=UserFactory(),
        expectations=[{"destination": "userinfo", "claim": "nick", "operator": "absent"}],
    )
    new = {"name": "nick", "value": '"n"'}
    assert api.post(CLAIMS, new, format="json").status_code == 409
    assert not ClaimDefinition.objects.filter(name="nick").exists()
    assert api.post(f"{CLAIMS}{CONFIRM}", new, format="json").status_code == 201
    [nick] = ClaimDefinition.objects.filter(name="nick")
    # The dry run left no trace: one row, saved once.
    replaced = api.put(f"{CLAIMS}{nick.pk}/", {**new, "include_in_userinfo": False}, format="json")
    assert replaced.status_code == 200, replaced.json()


def test_delete_is_gated(api, tier):
    assert api.delete(f"{CLAIMS}{tier.pk}/").status_code == 409
    assert ClaimDefinition.objects.filter(pk=tier.pk).exists()
    assert api.delete(f"{CLAIMS}{tier.pk}/{CONFIRM}").status_code == 204
    assert not ClaimDefinition.objects.filter(pk=tier.pk).exists()


def test_profile_writes_are_gated(api, tier, portal):
    url = f"{PROFILES}portal/"
    assert api.patch(url, {"data": {"tier": "bronze"}}, format="json").status_code == 409
    assert AppProfile.objects.get(application=portal).data == {"tier": "gold"}
    assert api.put(url, {"data": {}}, format="json").status_code == 409
    assert api.delete(url).status_code == 409
    assert AppProfile.objects.filter(application=portal).exists()
    assert (
        api.patch(f"{url}{CONFIRM}", {"data": {"tier": "bronze"}}, format="json").status_code == 200
    )
    assert AppProfile.objects.get(application=portal).data == {"tier": "bronze"}


def test_a_profile_created_by_put_is_gated_and_then_saved_once(api):
    other = ApplicationFactory(client_id="other")
    ClaimDefinitionFactory(name="tier", value="app.profile.tier")
    ClaimTestFactory(
        application=other,
        user=UserFactory(),
        expectations=[{"destination": "id_token", "claim": "tier", "operator": "absent"}],
    )
    url = f"{PROFILES}other/"
    assert api.put(url, {"data": {"tier": "gold"}}, format="json").status_code == 409
    assert not AppProfile.objects.filter(application=other).exists()
    assert api.put(f"{url}{CONFIRM}", {"data": {"tier": "gold"}}, format="json").status_code == 201
    assert AppProfile.objects.filter(application=other).count() == 1


def test_a_bad_confirmation_value_is_400(api, tier):
    response = api.patch(
        f"{CLAIMS}{tier.pk}/?confirm_failing_tests=maybe", {"value": '"x"'}, format="json"
    )
    assert response.status_code == 400
    assert "confirm_failing_tests" in response.json()


def test_disabled_tests_do_not_gate(api, tier):
    ClaimTest.objects.update(enabled=False)
    assert api.patch(f"{CLAIMS}{tier.pk}/", {"value": '"silver"'}, format="json").status_code == 200


def test_a_dry_run_reports_the_impact_and_is_not_gated(api, tier):
    response = api.patch(f"{CLAIMS}{tier.pk}/?dry_run=true", {"value": '"silver"'}, format="json")
    assert response.status_code == 200
    assert "claim_tests" not in response.json()
    tier.refresh_from_db()
    assert tier.value == "app.profile.tier"
