"""The example site's login form locks out a username after AXES_FAILURE_LIMIT wrong passwords
from one address (django-axes), over HTTP against a live server."""

from __future__ import annotations

import pytest
from django.conf import settings

from .browser import Browser

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(demo_idp, username: str, password: str):
    browser = Browser(demo_idp.base_url)
    page = browser.get("/accounts/login/")
    return browser, browser.submit(page, {"username": username, "password": password})


def test_login_is_locked_out_after_the_failure_limit(demo_idp):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _, page = sign_in(demo_idp, "alice", "not-her-password")
        assert page.status_code == 200 and 'name="password"' in page.text

    _, page = sign_in(demo_idp, "alice", "not-her-password")
    assert page.status_code == 429

    # The right password no longer helps while the lockout lasts ...
    browser, page = sign_in(demo_idp, "alice", "alice-demo-password")
    assert page.status_code == 429
    assert "sessionid" not in browser.session.cookies
    # ... and another user is not affected.
    browser, page = sign_in(demo_idp, "bob", "bob-demo-password")
    assert page.status_code == 200 and "sessionid" in browser.session.cookies


def test_a_successful_login_resets_the_count(demo_idp):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(demo_idp, "carol", "wrong")
    browser, page = sign_in(demo_idp, "carol", "carol-demo-password")
    assert "sessionid" in browser.session.cookies
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _, page = sign_in(demo_idp, "carol", "wrong")
        assert page.status_code == 200
