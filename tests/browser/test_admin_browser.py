"""In a real browser: create a claim in the admin, see its value in the token preview, and see
the syntax error of a bad expression on the change form."""

from __future__ import annotations

import pytest

from oidc_claims.models import ClaimDefinition

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ADD_CLAIM = "/admin/oidc_claims/claimdefinition/add/"


def log_in(page, base_url: str, next_url: str) -> None:
    page.goto(f"{base_url}/admin/login/?next={next_url}")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "admin-demo-password")
    page.click("input[type=submit]")
    page.wait_for_url(f"{base_url}{next_url}")


def test_claim_created_in_the_admin_appears_in_the_preview(page, demo_site, artifacts):
    log_in(page, demo_site, ADD_CLAIM)
    page.fill("#id_name", "display_name")
    page.fill("#id_value", 'user.firstName + " " + user.lastName')
    # The expression is checked while typing, before saving.
    page.wait_for_selector(".oidc-expression-check .oidc-check-ok")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    assert ClaimDefinition.objects.filter(name="display_name", enabled=True).exists()

    page.click("text=Token preview")
    page.select_option("#id_application", label="Demo web application")
    # The user field is the admin's autocomplete: type to search, then pick.
    page.click(".field-user .select2-selection")
    page.fill(".select2-search__field", "alice")
    page.click(".select2-results__option >> text=alice <alice@example.com>")
    page.fill("#id_nonce", "browser-nonce")
    page.click("input[type=submit][value='Preview tokens']")

    id_token = page.locator("#panel-id_token .oidc-payload")
    id_token.wait_for()
    assert '"display_name": "Alice Anders"' in id_token.inner_text()
    assert '"nonce": "browser-nonce"' in id_token.inner_text()
    assert "reason-included" in page.locator("#trace tbody tr").first.get_attribute("class")
    assert "user=" in page.input_value("#share-url")
    page.screenshot(path=str(artifacts / "token-preview.png"), full_page=True)


def test_bad_expression_shows_its_syntax_error_on_the_change_form(page, demo_site, artifacts):
    log_in(page, demo_site, ADD_CLAIM)
    page.fill("#id_name", "broken")
    page.fill("#id_value", 'String.substringBefore(user.email, "@"')
    # Before saving: the check endpoint answers as the admin types.
    live = page.locator(".oidc-expression-check .oidc-check-error")
    live.wait_for()
    assert "Line 1, column 39" in live.inner_text()

    page.click("input[name=_save]")
    page.wait_for_selector(".errornote")
    errors = page.locator(".field-value .errorlist").inner_text()
    assert "Invalid expression: Line 1, column 39" in errors
    pointer = page.locator(".field-value pre.oidc-pointer").inner_text()
    assert pointer.splitlines()[-1] == " " * 38 + "^"
    assert not ClaimDefinition.objects.filter(name="broken").exists()
    page.screenshot(path=str(artifacts / "claim-syntax-error.png"), full_page=True)
