"""Basic OP plan, display, prompt and session age: oidcc-display-page, oidcc-display-popup,
oidcc-prompt-login, oidcc-prompt-none-not-logged-in, oidcc-prompt-none-logged-in,
oidcc-max-age-1, oidcc-max-age-10000; and the consent_required answer to prompt=none."""

from __future__ import annotations

import pytest

from .conftest import ALICE, move_sign_in_back

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def id_token_of(rp, result, nonce=None, **rules):
    assert "error" not in result.params, result.params
    token = rp.exchange(result.params["code"])
    return rp.verify_id_token(
        token["id_token"], nonce=nonce, access_token=token["access_token"], **rules
    )


def signed_in_long_ago(rp):
    """A browser whose user signed in (and consented once) a minute ago, and that first
    ID token."""
    browser = rp.browser()
    rp.sign_in(ALICE, browser)
    signed_in_at = move_sign_in_back(browser, 60)
    first = rp.authorize(ALICE, browser, nonce="first")
    assert first.pages == ["consent"]
    claims = id_token_of(rp, first, nonce="first")
    assert claims["auth_time"] == signed_in_at
    return browser, claims


def assert_display_succeeds(rp, display: str) -> None:
    result = rp.authorize(ALICE, display=display, nonce="n1")
    assert result.saw_login and result.saw_consent
    id_token_of(rp, result, nonce="n1")


def test_oidcc_display_page(basic_rp):
    assert_display_succeeds(basic_rp, "page")


def test_oidcc_display_popup(basic_rp):
    assert_display_succeeds(basic_rp, "popup")


def test_oidcc_prompt_login(basic_rp):
    browser, first = signed_in_long_ago(basic_rp)
    again = basic_rp.authorize(ALICE, browser, prompt="login", nonce="second")
    assert again.saw_login, "prompt=login must show the login page to a signed-in user"
    second = id_token_of(basic_rp, again, nonce="second")
    assert second["sub"] == first["sub"]
    assert second["auth_time"] > first["auth_time"]


def test_oidcc_prompt_none_not_logged_in(basic_rp):
    result = basic_rp.authorize(None, prompt="none", state="s-none")
    assert result.pages == []
    assert result.redirect.startswith(basic_rp.redirect_uri + "?")
    assert result.params == {"error": "login_required", "state": "s-none"}


def test_oidcc_prompt_none_logged_in(basic_rp):
    browser, first = signed_in_long_ago(basic_rp)
    silent = basic_rp.authorize(None, browser, prompt="none", state="s2", nonce="silent")
    assert silent.pages == [] and silent.params["state"] == "s2"
    claims = id_token_of(basic_rp, silent, nonce="silent")
    assert claims["sub"] == first["sub"] and claims["auth_time"] == first["auth_time"]


def test_prompt_none_without_consent_is_consent_required(op):
    rp = op.client()
    browser = rp.browser()
    rp.sign_in(ALICE, browser)
    result = rp.authorize(None, browser, prompt="none", state="s3")
    assert result.pages == []
    assert result.params == {"error": "consent_required", "state": "s3"}


def test_prompt_none_with_stale_sign_in_for_max_age_is_login_required(op):
    rp = op.client()
    browser, _ = signed_in_long_ago(rp)
    result = rp.authorize(None, browser, prompt="none", max_age="30", state="s4")
    assert result.params == {"error": "login_required", "state": "s4"}


def test_prompt_none_implicit_error_is_in_the_fragment(op):
    rp = op.client("conformance-implicit", response_type="id_token")
    result = rp.authorize(None, prompt="none", state="s5")
    assert "#" in result.redirect and "?" not in result.redirect
    assert result.params == {"error": "login_required", "state": "s5"}


def test_prompt_none_with_another_prompt_value_is_refused(op):
    rp = op.client()
    browser, _ = signed_in_long_ago(rp)
    result = rp.authorize(None, browser, prompt="none login", state="s6")
    assert result.params["error"] == "invalid_request" and result.params["state"] == "s6"


def test_oidcc_max_age_1(basic_rp):
    browser, first = signed_in_long_ago(basic_rp)
    again = basic_rp.authorize(ALICE, browser, max_age="1", nonce="second")
    assert again.saw_login, "a sign-in older than max_age must be repeated"
    second = id_token_of(basic_rp, again, nonce="second", max_age=1)
    assert second["auth_time"] > first["auth_time"]


def test_max_age_0_forces_a_sign_in_every_time(op):
    rp = op.client()
    browser, first = signed_in_long_ago(rp)
    for _ in range(2):
        again = rp.authorize(ALICE, browser, max_age="0", nonce="n0")
        assert again.saw_login
        claims = id_token_of(rp, again, nonce="n0", max_age=0)
        assert claims["auth_time"] > first["auth_time"]


def test_oidcc_max_age_10000(basic_rp):
    browser, first = signed_in_long_ago(basic_rp)
    again = basic_rp.authorize(ALICE, browser, max_age="10000", nonce="second")
    assert not again.saw_login
    second = id_token_of(basic_rp, again, nonce="second", max_age=10000)
    assert second["auth_time"] == first["auth_time"]
