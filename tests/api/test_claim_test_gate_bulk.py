"""Imports (the file format and Okta's) and rollbacks through the API run the claim tests
first, as single writes do: 409 with the tests they would break and nothing saved, saved when
confirmed, refused outright when tests are required; dry runs are not gated."""

from __future__ import annotations

import pytest

from oidc_claims.models import ClaimDefinition
from oidc_claims.models.revisions import Revision
from tests.api_helpers import ALL_PERMS

pytestmark = pytest.mark.django_db

IMPORT = "/api/v1/import/"
OKTA = "/api/v1/import/okta/"
REVISIONS = "/api/v1/revisions/"
CLAIMS = "/api/v1/claims/"
CONFIRM = "?confirm_failing_tests=true"

# The permissions of the `api` client (tests/conftest.py).
API_PERMISSIONS = ALL_PERMS


def exported(api) -> dict:
    response = api.get("/api/v1/export/")
    assert response.status_code == 200
    return response.json()


def with_tier(document: dict, value: str) -> dict:
    for claim in document["claims"]:
        if claim["name"] == "tier":
            claim["value"] = value
    return document


def okta_tier(value: str) -> list[dict]:
    return [
        {
            "name": "tier",
            "status": "ACTIVE",
            "claimType": "IDENTITY",
            "valueType": "EXPRESSION",
            "value": value,
            "conditions": {"scopes": []},
        }
    ]


def stored_tier() -> str:
    return ClaimDefinition.objects.get(name="tier").value


def assert_refused(response, code: str = "claim_tests_failed") -> None:
    assert response.status_code == 409, response.content
    body = response.json()
    assert body["code"] == code
    [failing] = body["claim_tests"]["newly_failing"]
    assert failing["name"] == "portal users are gold"


def test_an_import_that_breaks_a_test_is_409_until_confirmed(api, tier):
    document = with_tier(exported(api), '"silver"')
    assert_refused(api.post(IMPORT, document, format="json"))
    assert stored_tier() == "app.profile.tier"
    revisions = Revision.objects.count()
    # A dry run reports the change and is not held up by the tests.
    dry = api.post(f"{IMPORT}?dry_run=true", document, format="json")
    assert dry.status_code == 200 and dry.json()["dry_run"] is True
    assert stored_tier() == "app.profile.tier" and Revision.objects.count() == revisions
    confirmed = api.post(f"{IMPORT}{CONFIRM}", document, format="json")
    assert confirmed.status_code == 200, confirmed.content
    assert stored_tier() == '"silver"'


def test_an_import_that_keeps_the_tests_green_is_applied_at_once(api, tier):
    document = with_tier(exported(api), 'app.profile.tier + ""')
    response = api.post(IMPORT, document, format="json")
    assert response.status_code == 200, response.content
    assert stored_tier() == 'app.profile.tier + ""'


def test_an_invalid_import_is_still_400_with_its_errors(api, tier):
    document = with_tier(exported(api), '"unterminated')
    response = api.post(IMPORT, document, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]
    assert stored_tier() == "app.profile.tier"


def test_with_tests_required_an_import_is_refused_even_confirmed(api, tier, settings):
    settings.OIDC_CLAIMS = {**settings.OIDC_CLAIMS, "CLAIM_TESTS_REQUIRED": True}
    document = with_tier(exported(api), '"silver"')
    assert_refused(api.post(f"{IMPORT}{CONFIRM}", document, format="json"), "claim_tests_required")
    assert stored_tier() == "app.profile.tier"


def test_an_okta_import_that_breaks_a_test_is_409_until_confirmed(api, tier):
    assert_refused(api.post(OKTA, okta_tier('"silver"'), format="json"))
    assert stored_tier() == "app.profile.tier"
    assert api.post(f"{OKTA}?dry_run=true", okta_tier('"silver"'), format="json").status_code == 200
    confirmed = api.post(f"{OKTA}{CONFIRM}", okta_tier('"silver"'), format="json")
    assert confirmed.status_code == 200, confirmed.content
    assert stored_tier() == '"silver"'


def patch_tier(api, value: str, query: str = "") -> None:
    pk = ClaimDefinition.objects.get(name="tier").pk
    response = api.patch(f"{CLAIMS}{pk}/{query}", {"value": value}, format="json")
    assert response.status_code == 200, response.content


# Revisions are recorded when a change commits.
@pytest.mark.django_db(transaction=True)
def test_a_rollback_that_breaks_a_test_is_409_until_confirmed(api, tier):
    # A revision where the claim is a constant; then the claim reads the profile again.
    patch_tier(api, '"silver"', CONFIRM)
    silver = Revision.objects.order_by("-pk").first()
    patch_tier(api, "app.profile.tier")
    revisions = Revision.objects.count()

    assert_refused(api.post(f"{REVISIONS}{silver.pk}/rollback/", {}, format="json"))
    assert stored_tier() == "app.profile.tier" and Revision.objects.count() == revisions
    # The rollback's dry run is in its body: ?dry_run=true in the query neither makes one nor
    # skips the tests.
    assert_refused(api.post(f"{REVISIONS}{silver.pk}/rollback/?dry_run=true", {}, format="json"))
    assert stored_tier() == "app.profile.tier" and Revision.objects.count() == revisions
    malformed = api.post(
        f"{REVISIONS}{silver.pk}/rollback/?confirm_failing_tests=maybe", {}, format="json"
    )
    assert malformed.status_code == 400 and "confirm_failing_tests" in malformed.json()
    assert stored_tier() == "app.profile.tier" and Revision.objects.count() == revisions
    dry = api.post(f"{REVISIONS}{silver.pk}/rollback/", {"dry_run": True}, format="json")
    assert dry.status_code == 200 and dry.json()["dry_run"] is True
    assert Revision.objects.count() == revisions
    confirmed = api.post(f"{REVISIONS}{silver.pk}/rollback/{CONFIRM}", {}, format="json")
    assert confirmed.status_code == 200, confirmed.content
    assert stored_tier() == '"silver"' and Revision.objects.count() == revisions + 1


@pytest.mark.django_db(transaction=True)
def test_with_tests_required_a_rollback_is_refused_even_confirmed(api, tier, settings):
    patch_tier(api, '"silver"', CONFIRM)
    silver = Revision.objects.order_by("-pk").first()
    patch_tier(api, "app.profile.tier")
    settings.OIDC_CLAIMS = {**settings.OIDC_CLAIMS, "CLAIM_TESTS_REQUIRED": True}
    response = api.post(f"{REVISIONS}{silver.pk}/rollback/{CONFIRM}", {}, format="json")
    assert_refused(response, "claim_tests_required")
    assert stored_tier() == "app.profile.tier"


@pytest.mark.parametrize("value", ["maybe", "1; DROP", "yes please"])
def test_a_malformed_confirmation_is_400_and_changes_nothing(api, tier, value):
    document = with_tier(exported(api), '"silver"')
    query = f"?confirm_failing_tests={value}"
    for response in (
        api.post(f"{IMPORT}{query}", document, format="json"),
        api.post(f"{OKTA}{query}", okta_tier('"silver"'), format="json"),
    ):
        assert response.status_code == 400, response.content
        assert "confirm_failing_tests" in response.json()
    assert stored_tier() == "app.profile.tier"


def test_without_permission_the_tests_are_not_run_and_nothing_changes(tier, client):
    from rest_framework.test import APIClient

    from tests.api_helpers import user_with

    reader = APIClient()
    reader.force_authenticate(user_with("view_claimdefinition"))
    document = {"claims": [], "app_profiles": []}
    for url in (f"{IMPORT}{CONFIRM}", f"{OKTA}{CONFIRM}"):
        assert reader.post(url, document, format="json").status_code == 403
    assert stored_tier() == "app.profile.tier"
