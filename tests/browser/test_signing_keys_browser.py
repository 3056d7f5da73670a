"""The signing-key admin in a real browser at 1400 px: the key list fits, and a rotation is
started through the action's confirmation page. Screenshots go to test-artifacts/."""

from __future__ import annotations

import pytest

from oidc_claims.models.key_rotation import advance, start_rotation
from oidc_claims.models.signing_keys import KeyState, SigningKey
from tests.browser.test_admin_browser import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTH = 1400
KEY_LIST = "/admin/oidc_claims/signingkey/"


def test_a_rotation_is_started_and_confirmed_in_the_key_list(page, demo_site, artifacts):
    page.set_viewport_size({"width": WIDTH, "height": 900})
    for algorithm in ("ES256", "EdDSA", "RS256"):
        advance(algorithm, activate_first=True)
    start_rotation("RS256")
    log_in(page, demo_site, KEY_LIST)

    page.screenshot(path=str(artifacts / "signing-keys.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    results = page.locator("#changelist .results")
    assert results.evaluate("box => box.scrollWidth <= box.clientWidth")
    assert "PRIVATE KEY" not in page.content()

    es256 = SigningKey.objects.get(algorithm="ES256")
    page.check(f"input[name=_selected_action][value='{es256.pk}']")
    page.select_option("select[name=action]", "start_rotation_action")
    page.click("button[name=index]")
    page.wait_for_selector("text=Publish a new key for ES256?")
    page.screenshot(path=str(artifacts / "signing-keys-rotate.png"), full_page=True)
    page.click("input[type=submit]")
    page.wait_for_selector(".messagelist .info")
    successor = SigningKey.objects.get(algorithm="ES256", state=KeyState.NEXT)
    assert f"Published ES256 key {successor.kid}" in page.inner_text(".messagelist")
