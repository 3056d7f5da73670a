"""Basic OP plan, the core flow and endpoints: oidcc-server, oidcc-response-type-missing,
oidcc-userinfo-get/-post-header/-post-body and
oidcc-ensure-request-without-nonce-succeeds-for-code-flow."""

from __future__ import annotations

import pytest
import requests

from .conftest import ALICE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def code_flow(rp, **params):
    """Sign in, consent, redeem the code; returns (token response, verified ID token claims)."""
    nonce = params.setdefault("nonce", "n-0S6_WzA2Mj")
    result = rp.authorize(ALICE, **params)
    assert "error" not in result.params, result.params
    token = rp.exchange(result.params["code"])
    claims = rp.verify_id_token(token["id_token"], nonce=nonce, access_token=token["access_token"])
    return result, token, claims


def test_oidcc_server(basic_rp):
    result, token, claims = code_flow(basic_rp, state="af0ifjsldkj")
    assert result.params["state"] == "af0ifjsldkj"
    assert token["token_type"].lower() == "bearer" and token["expires_in"] > 0
    assert claims["sub"] and claims["iat"] <= claims["exp"]
    assert isinstance(claims["auth_time"], int)
    info = basic_rp.userinfo(token["access_token"])
    assert info.status_code == 200 and info.json()["sub"] == claims["sub"]


def test_oidcc_response_type_missing(op):
    result = op.client().authorize(ALICE, response_type=None, allow_page=True)
    # Core 3.1.2.6: the error goes back to the client, or the user is shown an error page.
    if result.page is None:
        assert result.params["error"] in ("invalid_request", "unsupported_response_type")
        assert "code" not in result.params
    else:
        assert result.page.status_code == 400, result.page.status_code
        assert "code=" not in result.page.text


def assert_userinfo(rp, method: str) -> None:
    _, token, claims = code_flow(rp)
    info = rp.userinfo(token["access_token"], method=method)
    assert info.status_code == 200, info.text
    assert info.headers["Content-Type"].startswith("application/json")
    assert info.json()["sub"] == claims["sub"]


def test_oidcc_userinfo_get(basic_rp):
    assert_userinfo(basic_rp, "get")


def test_oidcc_userinfo_post_header(basic_rp):
    assert_userinfo(basic_rp, "post-header")


def test_oidcc_userinfo_post_body(basic_rp):
    assert_userinfo(basic_rp, "post-body")


def test_oidcc_ensure_request_without_nonce_succeeds_for_code_flow(basic_rp):
    result = basic_rp.authorize(ALICE, nonce=None)
    token = basic_rp.exchange(result.params["code"])
    claims = basic_rp.verify_id_token(token["id_token"], access_token=token["access_token"])
    assert "nonce" not in claims


def test_token_responses_are_not_cached(basic_rp):
    result = basic_rp.authorize(ALICE, nonce="n")
    answered = basic_rp.token_request(
        grant_type="authorization_code",
        code=result.params["code"],
        redirect_uri=basic_rp.redirect_uri,
    )
    refused = basic_rp.token_request(grant_type="authorization_code", code="no-such-code")
    for response in (answered, refused):
        assert response.headers["Cache-Control"] == "no-store", response.status_code
        assert response.headers["Pragma"] == "no-cache", response.status_code


def test_mismatched_basic_and_body_client_ids_are_a_client_error(op):
    rp = op.client()
    result = rp.authorize(ALICE, nonce="n")
    response = requests.post(
        op.provider.metadata["token_endpoint"],
        data={
            "grant_type": "authorization_code",
            "code": result.params["code"],
            "redirect_uri": rp.redirect_uri,
            "client_id": "conformance-code-2",
        },
        auth=(rp.client_id, rp.client_secret),
        timeout=30,
    )
    assert response.status_code in (400, 401), response.text
    assert response.json()["error"] in ("invalid_client", "invalid_request")


def test_standard_scopes_and_unknown_scopes_beside_openid(basic_rp):
    _, token, _ = code_flow(basic_rp, scope="openid profile email address phone no-such-scope")
    assert token["scope"].split() == ["openid", "profile", "email", "address", "phone"]


def test_unknown_scope_without_openid_is_invalid_scope(op):
    rp = op.client()
    result = rp.authorize(ALICE, scope="no-such-scope", nonce=None, state="s")
    assert result.params["error"] == "invalid_scope" and result.params["state"] == "s"
