"""The demo IdP works for a real OIDC relying party: code + PKCE, userinfo, client credentials."""

from __future__ import annotations

import pytest
import requests
from joserfc.errors import BadSignatureError, InvalidClaimError

from example_project.management.commands.seed_demo import DEMO_SERVICE_SECRET, DEMO_WEB_SECRET

from .browser import Browser
from .oidc import authorization_code_flow, client_credentials_token

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_discovery_and_jwks_are_published(demo_idp):
    metadata = demo_idp.metadata
    assert metadata["issuer"] == f"{demo_idp.base_url}/o"
    for endpoint in ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri"):
        assert metadata[endpoint].startswith(demo_idp.base_url)
    assert "RS256" in metadata["id_token_signing_alg_values_supported"]
    keys = requests.get(metadata["jwks_uri"], timeout=30).json()["keys"]
    assert [key["kty"] for key in keys] == ["RSA"]
    assert all("d" not in key for key in keys), "the JWKS must never publish private key material"


def test_public_client_code_flow_with_pkce_and_userinfo(demo_idp):
    redirect_uri = f"{demo_idp.base_url}/demo/callback"
    result = authorization_code_flow(
        demo_idp,
        client_id="demo-spa",
        redirect_uri=redirect_uri,
        username="alice",
        password="alice-demo-password",
    )
    claims = result.id_token_claims
    assert claims["aud"] == "demo-spa"
    assert claims["nonce"] == result.nonce
    assert claims["exp"] > claims["iat"]
    assert result.id_token_header["alg"] == "RS256"

    userinfo = result.session.get(demo_idp.metadata["userinfo_endpoint"], timeout=30)
    assert userinfo.status_code == 200
    assert userinfo.json()["sub"] == claims["sub"]


def test_public_client_without_pkce_is_refused(demo_idp):
    redirect_uri = f"{demo_idp.base_url}/demo/callback"
    url = (
        f"{demo_idp.metadata['authorization_endpoint']}?response_type=code&client_id=demo-spa"
        f"&redirect_uri={redirect_uri}&scope=openid&state=s1"
    )
    # Before login the IdP sends the browser to the login page; after login, the error comes back.
    browser = Browser(demo_idp.base_url, stop_at=redirect_uri)
    page = browser.get(url)
    assert not isinstance(page, str) and 'name="password"' in page.text
    redirect = browser.submit(page, {"username": "alice", "password": "alice-demo-password"})
    assert isinstance(redirect, str)
    assert "error=invalid_request" in redirect
    assert "code=" not in redirect


def test_confidential_client_code_flow_verifies_id_token(demo_idp):
    result = authorization_code_flow(
        demo_idp,
        client_id="demo-web",
        client_secret=DEMO_WEB_SECRET,
        redirect_uri=f"{demo_idp.base_url}/demo/callback",
        username="bob",
        password="bob-demo-password",
        pkce=False,
    )
    assert result.id_token_claims["aud"] == "demo-web"
    # The same token must not verify for another audience or a wrong nonce.
    with pytest.raises(InvalidClaimError):
        demo_idp.verify_jwt(result.token["id_token"], audience="demo-spa")
    with pytest.raises(InvalidClaimError):
        demo_idp.verify_jwt(result.token["id_token"], audience="demo-web", nonce="another-nonce")
    # A tampered signature is refused.
    header, payload, signature = result.token["id_token"].split(".")
    tampered = f"{header}.{payload}.{signature[:-4]}AAAA"
    with pytest.raises(BadSignatureError):
        demo_idp.verify_jwt(tampered)


def test_wrong_password_does_not_sign_in(demo_idp):
    browser = Browser(demo_idp.base_url)
    page = browser.get("/accounts/login/")
    page = browser.submit(page, {"username": "alice", "password": "not-her-password"})
    assert page.status_code == 200
    assert "didn&#x27;t match" in page.text or "didn't match" in page.text


def test_client_credentials_token(demo_idp):
    token = client_credentials_token(demo_idp, "demo-service", DEMO_SERVICE_SECRET)
    assert token["token_type"] == "Bearer"
    assert token["access_token"]
    assert token["expires_in"] > 0

    refused = requests.post(
        demo_idp.metadata["token_endpoint"],
        data={"grant_type": "client_credentials"},
        auth=("demo-service", "wrong-secret"),
        timeout=30,
    )
    assert refused.status_code == 401
    assert refused.json()["error"] == "invalid_client"


def test_login_page_and_admin_answer(demo_idp):
    assert requests.get(f"{demo_idp.base_url}/accounts/login/", timeout=30).status_code == 200
    admin = requests.get(f"{demo_idp.base_url}/admin/", allow_redirects=False, timeout=30)
    assert admin.status_code == 302 and "/admin/login/" in admin.headers["Location"]
    browser = Browser(demo_idp.base_url)
    page = browser.get("/admin/login/?next=/admin/")
    page = browser.submit(page, {"username": "admin", "password": "admin-demo-password"})
    assert page.status_code == 200 and "Site administration" in page.text


def test_demo_claims_reach_the_relying_party(demo_idp_with_claims):
    idp = demo_idp_with_claims
    result = authorization_code_flow(
        idp,
        client_id="demo-web",
        client_secret=DEMO_WEB_SECRET,
        redirect_uri=f"{idp.base_url}/demo/callback",
        username="alice",
        password="alice-demo-password",
        scope="openid profile email groups",
        pkce=False,
    )
    groups = ["Everyone", "engineering", "engineering-admins"]
    id_token = result.id_token_claims
    assert id_token["groups"] == groups
    assert id_token["team"] == "engineering"
    assert id_token["login_name"] == "alice"
    assert "app_label" not in id_token

    _, access = idp.verify_jwt(result.token["access_token"], audience="demo-web", typ="at+jwt")
    assert access["groups"] == groups
    assert access["app_label"] == "Demo web application"
    assert "login_name" not in access

    userinfo = result.session.get(idp.metadata["userinfo_endpoint"], timeout=30).json()
    assert userinfo["groups"] == groups and userinfo["login_name"] == "alice"

    service = client_credentials_token(idp, "demo-service", DEMO_SERVICE_SECRET)
    _, app_only = idp.verify_jwt(service["access_token"], audience="demo-service", typ="at+jwt")
    assert app_only["app_label"] == "Demo service (client credentials)"
    assert "groups" not in app_only and "team" not in app_only
