"""A NUL character in an OAuth parameter is a malformed request (400), never a server error.

No OAuth or OpenID Connect parameter may contain one (RFC 6749 Appendix A), and PostgreSQL
cannot even compare text with one: DOT's look-ups of client ids, codes and users would
raise a database error. The same requests are 400s on SQLite, so the tests hold on both.
"""

from __future__ import annotations

import base64

import pytest
from django.test import Client

from tests.factories import ApplicationFactory, UserFactory
from tests.tokens_support import REDIRECT_URI, basic_auth, pkce_pair

pytestmark = pytest.mark.django_db

NUL = "\x00"


@pytest.fixture
def app():
    return ApplicationFactory(allowed_origins="https://spa.example.com")


def post_token(client, app, **data):
    return client.post("/o/token/", data, HTTP_AUTHORIZATION=basic_auth(app.client_id))


REQUESTS = {
    "token: client_id in the body": lambda client, app: client.post(
        "/o/token/", {"grant_type": "client_credentials", "client_id": NUL, "client_secret": "x"}
    ),
    "token: client_id in HTTP Basic": lambda client, app: client.post(
        "/o/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=basic_auth(NUL)
    ),
    "token: form-encoded NUL in HTTP Basic": lambda client, app: client.post(
        "/o/token/",
        {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION="Basic " + base64.b64encode(b"a%00:secret").decode(),
    ),
    "token: code": lambda client, app: post_token(
        client, app, grant_type="authorization_code", code="a" + NUL, redirect_uri=REDIRECT_URI
    ),
    "token: password grant": lambda client, app: post_token(
        client, app, grant_type="password", username="a" + NUL, password="p"
    ),
    "token: cross-origin": lambda client, app: client.post(
        "/o/token/",
        {"grant_type": "client_credentials", "client_id": "a" + NUL},
        HTTP_ORIGIN="https://spa.example.com",
    ),
    "userinfo: cross-origin with a client_id": lambda client, app: client.get(
        "/o/userinfo/",
        {"client_id": "a" + NUL},
        HTTP_AUTHORIZATION="Bearer token",
        HTTP_ORIGIN="https://spa.example.com",
    ),
    "introspection": lambda client, app: client.post(
        "/o/introspect/", {"token": "a" + NUL}, HTTP_AUTHORIZATION=basic_auth(app.client_id)
    ),
    "revocation": lambda client, app: client.post(
        "/o/revoke_token/", {"token": "a" + NUL}, HTTP_AUTHORIZATION=basic_auth(app.client_id)
    ),
}


@pytest.mark.parametrize("name", list(REQUESTS))
def test_nul_in_a_token_endpoint_parameter_is_invalid_request(app, name):
    response = REQUESTS[name](Client(raise_request_exception=False), app)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize("parameter", ["client_id", "nonce", "redirect_uri", "scope", "claims"])
def test_nul_in_an_authorization_request_is_invalid_request(app, parameter):
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory())
    _verifier, challenge = pkce_pair()
    params = {
        "response_type": "code",
        "client_id": app.client_id,
        "redirect_uri": REDIRECT_URI,
        "scope": "openid",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    params[parameter] = params.get(parameter, "") + NUL
    response = client.get("/o/authorize/", params)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"
