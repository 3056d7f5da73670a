"""The device authorization grant (RFC 8628) end to end: the tokens carry the configured claims."""

from __future__ import annotations

import pytest
import requests
from oauth2_provider.models import get_application_model

from oidc_claims.models import AppProfile

from .browser import Browser
from .flows_tokens import userinfo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
CLIENT_ID = "demo-tv"


@pytest.fixture
def idp(demo_idp_with_claims):
    """The demo IdP (demo claims and standard claims) with a public device client."""
    Application = get_application_model()
    tv = Application.objects.create(
        client_id=CLIENT_ID,
        client_secret="",
        name="Demo TV",
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=DEVICE_CODE_GRANT,
        redirect_uris="",
        algorithm=Application.RS256_ALGORITHM,
    )
    AppProfile.objects.create(application=tv, data={"label": "Demo TV"})
    return demo_idp_with_claims


def device_token(idp, device_code: str) -> requests.Response:
    return requests.post(
        idp.metadata["token_endpoint"],
        data={"grant_type": DEVICE_CODE_GRANT, "device_code": device_code, "client_id": CLIENT_ID},
        timeout=30,
    )


def approve_on_another_device(idp, user_code: str) -> None:
    """The user signs in through the real login form, enters the code and accepts."""
    browser = Browser(idp.base_url)
    login = browser.get("/accounts/login/?next=/o/device/")
    code_page = browser.submit(login, {"username": "alice", "password": "alice-demo-password"})
    assert 'name="user_code"' in code_page.text, code_page.text[:1000]
    confirm = browser.submit(code_page, {"user_code": user_code})
    assert "accept" in confirm.text, confirm.text[:1000]
    status = browser.submit(confirm, {"action": "accept"})
    assert status.status_code == 200, status.text[:1000]


def test_device_grant_issues_tokens_with_the_configured_claims(idp):
    response = requests.post(
        f"{idp.base_url}/o/device-authorization/",
        data={"client_id": CLIENT_ID, "scope": "openid profile email groups"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    authorization = response.json()
    assert {"device_code", "user_code", "verification_uri", "expires_in"} <= set(authorization)

    pending = device_token(idp, authorization["device_code"])
    assert pending.status_code == 400 and pending.json()["error"] == "authorization_pending"

    approve_on_another_device(idp, authorization["user_code"])
    response = device_token(idp, authorization["device_code"])
    assert response.status_code == 200, response.text
    token = response.json()

    _, access = idp.verify_jwt(token["access_token"], audience=CLIENT_ID, typ="at+jwt")
    assert access["client_id"] == CLIENT_ID
    assert access["team"] == "engineering"
    assert access["groups"] == ["Everyone", "engineering", "engineering-admins"]
    assert access["app_label"] == "Demo TV"

    info = userinfo(idp, token["access_token"])
    assert info["sub"] == access["sub"]
    assert info["email"] == "alice@example.com" and info["name"] == "Alice Anders"
    assert info["groups"] == ["Everyone", "engineering", "engineering-admins"]

    # The device code gives tokens once.
    again = device_token(idp, authorization["device_code"])
    assert again.status_code == 400 and again.json()["error"] == "expired_token", again.text
