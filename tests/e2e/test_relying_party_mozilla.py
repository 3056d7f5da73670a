"""A second, independent relying party: a Django site using mozilla-django-oidc, run as its own
server process, signs users in through the IdP's real login form, reads userinfo, and renews
its session silently with prompt=none (its SessionRefresh middleware)."""

from __future__ import annotations

import os
import select
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from oauth2_provider.models import get_application_model

from .browser import Browser

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REPOSITORY = Path(__file__).resolve().parents[2]
CLIENT_ID = "mozilla-rp"
CLIENT_SECRET = "mozilla-rp-secret-Hj6Dx1Sp8Gw3Nk9Bv4Qt"  # noqa: S105
ALICE = {"username": "alice", "password": "alice-demo-password"}


@pytest.fixture
def relying_party(demo_idp_with_claims, tmp_path):
    """The relying party's base URL; its server process runs for the test only."""
    idp = demo_idp_with_claims
    environment = {
        **os.environ,
        "RP_OP_ISSUER": idp.issuer,
        "RP_CLIENT_ID": CLIENT_ID,
        "RP_CLIENT_SECRET": CLIENT_SECRET,
        "RP_DATABASE": str(tmp_path / "relying_party.sqlite3"),
    }
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    environment.pop("DATABASE_URL", None)
    log = (tmp_path / "relying_party.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.e2e.relying_party.server"],
        cwd=REPOSITORY,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    try:
        ready, _, _ = select.select([process.stdout], [], [], 120)
        line = process.stdout.readline() if ready else ""
        log_text = (tmp_path / "relying_party.log").read_text
        assert line.startswith("PORT "), f"the relying party did not start: {line!r}\n{log_text()}"
        base_url = f"http://127.0.0.1:{int(line.split()[1])}"
        Application = get_application_model()
        Application.objects.create(
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            name="Relying party (mozilla-django-oidc)",
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            redirect_uris=f"{base_url}/oidc/callback/",
            algorithm=Application.RS256_ALGORITHM,
        )
        yield base_url
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def sign_in(idp, relying_party: str) -> Browser:
    """Open the relying party, sign in at the IdP's login form and consent."""
    browser = Browser(idp.base_url)
    login = browser.get(f"{relying_party}/")
    assert 'name="password"' in login.text, login.text[:1000]
    consent = browser.submit(login, ALICE)
    assert 'name="allow"' in consent.text, consent.text[:1000]
    page = browser.submit(consent, {}, button="allow")
    assert page.status_code == 200, page.text[:2000]
    assert urlsplit(page.url).netloc == urlsplit(relying_party).netloc
    return browser


def test_signs_in_through_the_login_form_and_reads_userinfo(demo_idp_with_claims, relying_party):
    browser = sign_in(demo_idp_with_claims, relying_party)
    me = browser.session.get(f"{relying_party}/", timeout=30).json()
    assert me["email"] == "alice@example.com"
    # Named from userinfo: the standard claims of the profile and email scopes.
    assert (me["first_name"], me["last_name"]) == ("Alice", "Anders")
    assert me["userinfo_calls"] == 1
    userinfo = me["userinfo"]
    assert userinfo["name"] == "Alice Anders" and userinfo["preferred_username"] == "alice"
    assert userinfo["email"] == "alice@example.com" and userinfo["email_verified"] is True
    assert userinfo["sub"]


def test_survives_a_prompt_none_session_refresh(demo_idp_with_claims, relying_party):
    browser = sign_in(demo_idp_with_claims, relying_party)
    first = browser.session.get(f"{relying_party}/", timeout=30).json()
    browser.session.get(f"{relying_party}/expire/", timeout=30)

    refresh = browser.session.get(f"{relying_party}/", allow_redirects=False, timeout=30)
    assert refresh.status_code == 302
    authorize = refresh.headers["Location"]
    assert authorize.startswith(demo_idp_with_claims.metadata["authorization_endpoint"])
    assert parse_qs(urlsplit(authorize).query)["prompt"] == ["none"]

    # The IdP answers without any page: straight back to the relying party with a code.
    page = browser.get(authorize)
    assert isinstance(page, requests.Response) and page.status_code == 200, page
    assert urlsplit(page.url).netloc == urlsplit(relying_party).netloc
    renewed = page.json()
    assert renewed["email"] == "alice@example.com"
    assert renewed["userinfo_calls"] == first["userinfo_calls"] + 1
    assert renewed["id_token_expiration"] > 0
