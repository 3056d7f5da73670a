"""Implicit and Hybrid OP plans: every response type, the nonce Core requires for them, and
at_hash / c_hash checked by Authlib's ID-token rules against the tokens received."""

from __future__ import annotations

import pytest

from .conftest import ALICE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

IMPLICIT = "conformance-implicit"
HYBRID = "conformance-hybrid"


def front_channel(op, client_id, response_type, **params):
    rp = op.client(client_id, response_type=response_type)
    result = rp.authorize(ALICE, nonce="n-implicit", state="st", **params)
    assert "error" not in result.params, result.params
    assert result.params["state"] == "st"
    # Tokens issued at the authorization endpoint travel in the fragment (Core 3.2.2.5).
    assert "?" not in result.redirect.split("#")[0].removeprefix(rp.redirect_uri)
    return rp, result.params


def test_oidcc_server_id_token(op):
    rp, params = front_channel(op, IMPLICIT, "id_token")
    assert "access_token" not in params and "code" not in params
    claims = rp.verify_id_token(params["id_token"], nonce="n-implicit")
    assert "at_hash" not in claims


def test_oidcc_server_id_token_token(op):
    rp, params = front_channel(op, IMPLICIT, "id_token token")
    claims = rp.verify_id_token(
        params["id_token"], nonce="n-implicit", access_token=params["access_token"]
    )
    assert claims["at_hash"]
    assert rp.userinfo(params["access_token"]).json()["sub"] == claims["sub"]


def test_oidcc_server_code_id_token(op):
    rp, params = front_channel(op, HYBRID, "code id_token")
    front = rp.verify_id_token(params["id_token"], nonce="n-implicit", code=params["code"])
    assert front["c_hash"]
    token = rp.exchange(params["code"])
    back = rp.verify_id_token(
        token["id_token"],
        nonce="n-implicit",
        access_token=token["access_token"],
        response_type="code",
    )
    assert back["sub"] == front["sub"]


def test_oidcc_server_code_token(op):
    rp, params = front_channel(op, HYBRID, "code token")
    assert "id_token" not in params
    token = rp.exchange(params["code"])
    claims = rp.verify_id_token(token["id_token"], nonce="n-implicit", response_type="code")
    assert rp.userinfo(params["access_token"]).json()["sub"] == claims["sub"]


def test_oidcc_server_code_id_token_token(op):
    rp, params = front_channel(op, HYBRID, "code id_token token")
    claims = rp.verify_id_token(
        params["id_token"],
        nonce="n-implicit",
        code=params["code"],
        access_token=params["access_token"],
    )
    assert claims["c_hash"] and claims["at_hash"]


@pytest.mark.parametrize(
    ("client_id", "response_type"),
    [(IMPLICIT, "id_token"), (IMPLICIT, "id_token token"), (HYBRID, "code id_token")],
)
def test_oidcc_ensure_request_without_nonce_fails(op, client_id, response_type):
    """Core 3.2.2.1 and 3.3.2.11: nonce is REQUIRED when an ID token comes from the
    authorization endpoint."""
    rp = op.client(client_id, response_type=response_type)
    result = rp.authorize(ALICE, nonce=None, state="st", allow_page=True)
    assert result.params.get("error") == "invalid_request", result.params
    assert "id_token" not in result.params and "access_token" not in result.params
