"""In a real browser: claim changes with comments appear in the revision history, a revision's
diff reads as a table, and a rollback restores the earlier configuration (screenshots)."""

from __future__ import annotations

import pytest

from oidc_claims.models import ClaimDefinition
from oidc_claims.models.revisions import Revision
from tests.browser.test_admin_browser import ADD_CLAIM, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def save_claim(page, value: str, comment: str) -> None:
    page.fill("#id_value", value)
    page.wait_for_selector(".oidc-expression-check .oidc-check-ok")
    page.fill("#id_change_comment", comment)
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")


def test_history_diff_and_rollback_in_the_admin(page, demo_site, artifacts):
    log_in(page, demo_site, ADD_CLAIM)
    page.fill("#id_name", "department")
    save_claim(page, '"Sales"', "Sales asked for a department claim")
    first = Revision.objects.order_by("-pk").first()
    save_claim(page, 'String.toUpperCase("engineering")', "Engineering takes over")

    # From the claim's own page to its history.
    page.click("a.oidc-revisions-link")
    page.wait_for_selector("#result_list")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 2
    assert "Engineering takes over" in rows.first.inner_text()
    assert "1 claims changed" in rows.first.inner_text()
    rows.first.locator("th a").click()

    diff = page.locator("table.oidc-diff")
    diff.wait_for()
    text = diff.inner_text()
    assert "'department' (id_token, userinfo)" in text and "changed" in text
    assert page.locator("td.oidc-diff-old").first.inner_text() == '"Sales"'
    assert "engineering" in page.locator("td.oidc-diff-new").first.inner_text()
    page.screenshot(path=str(artifacts / "revision-diff.png"), full_page=True)

    # Roll back to the first revision: the page shows what would change, then does it.
    page.goto(f"{demo_site}/admin/oidc_claims/revision/{first.pk}/change/")
    page.click("a.oidc-rollback-link")
    changes = page.locator("table.oidc-rollback-changes")
    changes.wait_for()
    assert "update" in changes.inner_text() and "value" in changes.inner_text()
    page.fill("#id_comment", "Back to Sales")
    page.screenshot(path=str(artifacts / "revision-rollback.png"), full_page=True)
    page.click("input[name=_rollback]")
    page.wait_for_selector(".messagelist .success")
    assert f"Rolled back to revision {first.pk}" in page.locator(".messagelist").inner_text()
    assert ClaimDefinition.objects.get(name="department").value == '"Sales"'
    latest = Revision.objects.order_by("-pk").first()
    assert (latest.channel, latest.author, latest.comment, latest.restores) == (
        "rollback",
        "admin",
        "Back to Sales",
        first,
    )
    # The new revision's page: what it restores, and the change back as a diff.
    assert f"Revision {first.pk}" in page.locator(".field-restores").inner_text()
    assert page.locator("td.oidc-diff-new").first.inner_text() == '"Sales"'
