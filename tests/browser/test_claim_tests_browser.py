"""In a real browser: run the claim tests from the admin and read the pass/fail table, then
change a claim so that a test breaks, see the failures on the form and confirm the save."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from oauth2_provider.models import get_application_model

from oidc_claims.models import ClaimDefinition
from oidc_claims.models.claim_tests import ClaimTest
from tests.browser.test_admin_browser import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TESTS = "/admin/oidc_claims/claimtest/"


def gold(value: str, destination: str = "id_token") -> dict:
    return {"destination": destination, "claim": "tier", "operator": "equals", "value": value}


@pytest.fixture
def claim_tests(demo_site):
    tier = ClaimDefinition.objects.create(name="tier", value='"gold"', include_in_access_token=True)
    ClaimDefinition.objects.create(name="email", value="user.email")
    app = get_application_model().objects.get(client_id="demo-web")
    alice = get_user_model().objects.get(username="alice")
    common = {"application": app, "user": alice, "scopes": ["openid", "email"]}
    ClaimTest.objects.create(
        name="alice is gold",
        expectations=[
            gold("gold"),
            gold("gold", "introspection"),
            {
                "destination": "userinfo",
                "claim": "email",
                "operator": "matches",
                "value": "^alice@",
            },
        ],
        **common,
    )
    ClaimTest.objects.create(
        name="alice is platinum", expectations=[gold("platinum", "access_token")], **common
    )
    return tier


def test_run_claim_tests_shows_the_results_table(page, demo_site, claim_tests, artifacts):
    log_in(page, demo_site, TESTS)
    page.click("text=Run claim tests")
    page.wait_for_selector("#claim-test-results")
    summary = page.locator("#claim-test-summary").inner_text()
    assert "2 test(s): 1 passed, 1 failed, 0 error(s)." in summary
    passed = page.locator('tr[data-test="alice is gold"] .oidc-status').inner_text()
    failed = page.locator('tr[data-test="alice is platinum"] .oidc-status').inner_text()
    assert (passed, failed) == ("PASSED", "FAILED")
    table = page.locator("#claim-test-results").inner_text()
    assert 'expected "platinum"; found "gold"' in table
    assert '"alice@example.com"' in table  # the actual value of a passing expectation
    page.screenshot(path=str(artifacts / "claim-test-results.png"), full_page=True)


def test_a_change_that_breaks_a_test_needs_a_confirmation(page, demo_site, claim_tests, artifacts):
    change = f"/admin/oidc_claims/claimdefinition/{claim_tests.pk}/change/"
    log_in(page, demo_site, change)
    page.fill("#id_value", '"bronze"')
    page.click("input[name=_save]")
    gate = page.locator("#claim-test-gate")
    gate.wait_for()
    assert 'expected "gold"; found "bronze"' in gate.inner_text()
    assert "alice is platinum" in page.locator("#claim-tests-already-failing").inner_text()
    assert (
        "Tick “Save even though claim tests fail”"
        in page.locator(".errorlist.nonfield").inner_text()
    )
    page.screenshot(path=str(artifacts / "claim-test-gate.png"), full_page=True)
    assert ClaimDefinition.objects.get(pk=claim_tests.pk).value == '"gold"'

    page.check("#id_confirm_failing_tests")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .warning")
    assert "alice is gold" in page.locator(".messagelist .warning").inner_text()
    assert ClaimDefinition.objects.get(pk=claim_tests.pk).value == '"bronze"'
