"""Basic OP plan, request parameters, codes, redirects, request objects, claims, refresh and
PKCE: every module from oidcc-ensure-request-with-unknown-parameter-succeeds to
oidcc-ensure-request-with-valid-pkce-succeeds."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from oauth2_provider.models import get_grant_model

from .conftest import ALICE, BOB

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def code_flow(rp, browser=None, user=ALICE, **params):
    """Sign in, consent, redeem the code; returns (authorization result, token, claims)."""
    nonce = params.setdefault("nonce", secrets.token_urlsafe(8))
    result = rp.authorize(user, browser, **params)
    assert "error" not in result.params, result.params
    token = rp.exchange(result.params["code"])
    claims = rp.verify_id_token(token["id_token"], nonce=nonce, access_token=token["access_token"])
    return result, token, claims


def unsigned_jwt(claims: dict) -> str:
    """An unsecured JWT (alg none), as the suite sends a request object."""

    def part(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none'})}.{part(claims)}."


def assert_token_error(response, error: str = "invalid_grant") -> None:
    assert response.status_code == 400, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.json()["error"] == error


# --- Request parameters ----------------------------------------------------------------


def test_oidcc_ensure_request_with_unknown_parameter_succeeds(basic_rp):
    code_flow(basic_rp, extra="foobar")


def test_oidcc_id_token_hint(basic_rp):
    browser = basic_rp.browser()
    _, first_token, first = code_flow(basic_rp, browser)
    again = basic_rp.authorize(
        None, browser, prompt="none", id_token_hint=first_token["id_token"], nonce="again"
    )
    assert again.pages == [] and "code" in again.params, again.params
    token = basic_rp.exchange(again.params["code"])
    second = basic_rp.verify_id_token(token["id_token"], nonce="again")
    assert second["sub"] == first["sub"] and second["auth_time"] == first["auth_time"]


def test_id_token_hint_of_another_user_is_login_required(op):
    rp = op.client()
    _, bob_token, _ = code_flow(rp, user=BOB)
    browser = rp.browser()
    code_flow(rp, browser)
    result = rp.authorize(
        None, browser, prompt="none", id_token_hint=bob_token["id_token"], state="s1"
    )
    assert result.params == {"error": "login_required", "state": "s1"}


def test_oidcc_login_hint(basic_rp):
    code_flow(basic_rp, login_hint="alice@example.com")


def test_oidcc_ui_locales(basic_rp):
    code_flow(basic_rp, ui_locales="se")


def test_oidcc_claims_locales(basic_rp):
    code_flow(basic_rp, claims_locales="se")


def test_oidcc_ensure_request_with_acr_values_succeeds(basic_rp):
    code_flow(basic_rp, acr_values="1 2")


def test_essential_acr_that_cannot_be_met_is_refused(op):
    """Core 5.5.1.1: an essential acr the OP cannot satisfy fails the authentication."""
    rp = op.client()
    claims = {"id_token": {"acr": {"essential": True, "values": ["urn:example:loa:3"]}}}
    result = rp.authorize(ALICE, claims=json.dumps(claims), state="s2", consent=True)
    assert result.params["error"] == "unmet_authentication_requirements"
    assert result.params["state"] == "s2" and "code" not in result.params


# --- Codes and redirects ------------------------------------------------------------------


def test_oidcc_codereuse(basic_rp):
    result, token, _ = code_flow(basic_rp)
    reused = basic_rp.token_request(
        grant_type="authorization_code",
        code=result.params["code"],
        redirect_uri=basic_rp.redirect_uri,
    )
    assert_token_error(reused)


def test_oidcc_codereuse_30seconds(basic_rp):
    result = basic_rp.authorize(ALICE, nonce="n")
    code = result.params["code"]
    basic_rp.exchange(code)
    # Thirty seconds later: the code is already redeemed, and by now also expired.
    get_grant_model().objects.filter(code=code).update(
        expires=timezone.now() - timedelta(seconds=30)
    )
    reused = basic_rp.token_request(
        grant_type="authorization_code", code=code, redirect_uri=basic_rp.redirect_uri
    )
    assert_token_error(reused)


def test_oidcc_ensure_registered_redirect_uri(op):
    rp = op.client()
    result = rp.authorize(
        ALICE, redirect_uri=f"{op.base_url}/not-registered", allow_page=True, consent=True
    )
    # Never redirected to an unregistered URI: an error page is shown to the user.
    assert result.page is not None and result.page.status_code == 400
    assert "code=" not in result.page.text


# --- Request objects and claims -------------------------------------------------------------


def test_oidcc_unsigned_request_object_supported_correctly_or_rejected_as_unsupported(op):
    rp = op.client()
    request_object = unsigned_jwt(
        {"client_id": rp.client_id, "response_type": "code", "state": "inside", "nonce": "n"}
    )
    result = rp.authorize(ALICE, request=request_object, state="outside", allow_page=True)
    assert result.params["error"] == "request_not_supported"
    assert result.params["state"] == "outside" and "code" not in result.params
    assert op.provider.metadata["request_parameter_supported"] is False


def test_request_uri_is_rejected_as_unsupported(op):
    rp = op.client()
    result = rp.authorize(ALICE, request_uri="https://rp.example/request.jwt", state="s3")
    assert result.params["error"] == "request_uri_not_supported"
    assert result.params["state"] == "s3"
    assert op.provider.metadata["request_uri_parameter_supported"] is False


def test_oidcc_claims_essential(basic_rp):
    claims = {"userinfo": {"name": {"essential": True}}}
    _, token, _ = code_flow(basic_rp, scope="openid profile", claims=json.dumps(claims))
    info = basic_rp.userinfo(token["access_token"])
    assert info.status_code == 200
    assert info.json()["sub"]


def test_oidcc_ensure_request_object_with_redirect_uri(op):
    rp = op.client()
    request_object = unsigned_jwt(
        {"client_id": rp.client_id, "redirect_uri": rp.redirect_uri, "response_type": "code"}
    )
    result = rp.authorize(
        ALICE,
        request=request_object,
        redirect_uri=f"{op.base_url}/not-registered",
        allow_page=True,
    )
    # Request objects are not supported, so the redirect_uri parameter is the one that
    # counts: unregistered, it gets an error page, never a redirect.
    assert result.page is not None and result.page.status_code == 400
    assert result.redirect == ""


# --- Refresh and PKCE ---------------------------------------------------------------------


def test_oidcc_refresh_token(basic_rp, op):
    _, token, first = code_flow(basic_rp)
    refreshed = basic_rp.token_request(
        grant_type="refresh_token", refresh_token=token["refresh_token"]
    )
    assert refreshed.status_code == 200, refreshed.text
    assert refreshed.headers["Cache-Control"] == "no-store"
    body = refreshed.json()
    second = basic_rp.verify_id_token(body["id_token"], access_token=body["access_token"])
    for claim in ("iss", "sub", "aud", "auth_time"):
        assert second[claim] == first[claim], claim
    assert basic_rp.userinfo(body["access_token"]).status_code == 200

    # A refresh token is bound to its client.
    other = op.client("conformance-code-2", auth_method=basic_rp.auth_method)
    _, other_token, _ = code_flow(other)
    stolen = basic_rp.token_request(
        grant_type="refresh_token", refresh_token=other_token["refresh_token"]
    )
    assert_token_error(stolen)


def test_refresh_keeps_auth_time_after_a_later_sign_in(op):
    """Core 12.2: auth_time is the original authentication's, even after the user signed in
    again elsewhere (DOT would report the later last_login)."""
    rp = op.client()
    _, token, first = code_flow(rp)
    rp.sign_in(ALICE, rp.browser())
    get_user_model().objects.filter(username="alice").update(
        last_login=timezone.now() + timedelta(hours=1)
    )
    body = rp.token_request(grant_type="refresh_token", refresh_token=token["refresh_token"])
    assert rp.verify_id_token(body.json()["id_token"])["auth_time"] == first["auth_time"]


def test_oidcc_ensure_request_with_valid_pkce_succeeds(basic_rp):
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    result = basic_rp.authorize(
        ALICE,
        nonce="n",
        code_challenge=challenge.rstrip(b"=").decode(),
        code_challenge_method="S256",
    )
    token = basic_rp.exchange(result.params["code"], code_verifier=verifier)
    basic_rp.verify_id_token(token["id_token"], nonce="n", access_token=token["access_token"])
    assert "S256" in basic_rp.provider.metadata["code_challenge_methods_supported"]
