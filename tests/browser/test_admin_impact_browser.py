"""In a real browser: "Preview impact" on the claim form shows whose tokens change, saves
nothing, and its "Save this change" saves the previewed change."""

from __future__ import annotations

import pytest

from oidc_claims.models import ClaimDefinition
from tests.browser.test_admin_browser import ADD_CLAIM, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_preview_impact_of_a_new_claim_then_save_it(page, demo_site, artifacts):
    log_in(page, demo_site, ADD_CLAIM)
    page.fill("#id_name", "team")
    page.fill("#id_value", 'user.isMemberOfGroupName("engineering") ? "engineering" : null')
    page.check("#id_include_in_access_token")
    page.click("#preview-impact")

    report = page.locator("#impact-report")
    report.wait_for()
    # alice and carol are in engineering; admin and bob are not. Both user-facing demo
    # applications receive the claim; the client-credentials one has no user to read.
    headline = page.locator("#impact-headline-id_token").inner_text()
    assert " ".join(headline.split()) == "2 of 4 users' ID tokens change (in 2 applications)"
    access = " ".join(page.locator("#impact-headline-access_token").inner_text().split())
    assert access.startswith("2 of 4 users' access tokens change")
    diff = page.locator(".oidc-impact-diff").first.inner_text()
    assert "alice" in diff and '"engineering"' in diff and "bob" not in diff
    assert not ClaimDefinition.objects.filter(name="team").exists()
    page.screenshot(path=str(artifacts / "impact-preview.png"), full_page=True)

    page.click("#impact-save input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    claim = ClaimDefinition.objects.get(name="team")
    assert claim.include_in_access_token and claim.value.startswith("user.isMemberOfGroupName")


def test_preview_impact_of_a_changed_value_shows_old_and_new(page, demo_site, artifacts):
    claim = ClaimDefinition.objects.create(
        name="tier", value='"standard"', include_in_access_token=True
    )
    change_url = f"/admin/oidc_claims/claimdefinition/{claim.pk}/change/"
    log_in(page, demo_site, change_url)
    page.fill("#id_value", 'user.isMemberOfGroupName("sales") ? "premium" : "standard"')
    page.click("#preview-impact")

    page.locator("#impact-report").wait_for()
    headline = " ".join(page.locator("#impact-headline-id_token").inner_text().split())
    assert headline == "1 of 4 users' ID tokens change (in 2 applications)"
    row = page.locator(".oidc-impact-diff tr.diff-changed").first.inner_text()
    assert "bob" in row and '"standard"' in row and '"premium"' in row
    # The service's token loses the claim: the new value reads a user, and it has none.
    service = page.locator("#impact-app-demo-service .destination-access_token").inner_text()
    assert "removed tier in the client's token" in " ".join(service.split())
    page.screenshot(path=str(artifacts / "impact-preview-change.png"), full_page=True)
    assert ClaimDefinition.objects.get(pk=claim.pk).value == '"standard"'
