"""CORS answers only the application that really authenticates, and only exact origins."""

from __future__ import annotations

import pytest

from tests.factories import ApplicationFactory, UserFactory
from tests.tokens_support import basic_auth, code_flow

pytestmark = pytest.mark.django_db

EVIL = "https://evil.example.com"
SPA = "https://spa.example.com"


@pytest.fixture
def tokens(client):
    app = ApplicationFactory(allowed_origins=SPA)
    client.force_login(UserFactory())
    result = code_flow(client, app, scope="openid")
    client.logout()
    return app, result


def test_a_client_id_parameter_does_not_lend_its_origins_to_a_bearer_token(client, tokens):
    # The token's application does not allow EVIL; another application does. Naming that
    # other application in the query must not make the token's userinfo readable from EVIL.
    _app, result = tokens
    other = ApplicationFactory(allowed_origins=EVIL)
    response = client.get(
        "/o/userinfo/",
        {"client_id": other.client_id},
        HTTP_AUTHORIZATION=f"Bearer {result['access_token']}",
        HTTP_ORIGIN=EVIL,
    )
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response
    assert response["Vary"] == "Origin"


def test_a_client_id_in_the_body_does_not_outrank_http_basic_authentication(client, tokens):
    app, result = tokens
    other = ApplicationFactory(allowed_origins=EVIL)
    response = client.post(
        "/o/introspect/",
        {"token": result["access_token"], "client_id": other.client_id},
        HTTP_AUTHORIZATION=basic_auth(app.client_id),
        HTTP_ORIGIN=EVIL,
    )
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response


@pytest.mark.parametrize(
    "origin",
    [
        "null",
        SPA + "/",
        SPA + "/path",
        SPA + "?q=1",
        "https://user@spa.example.com",
        "https://spa.example.com.evil.example",
        "https://evil-spa.example.com",
        "http://spa.example.com",
        "https://spa.example.com:8443",
    ],
)
def test_only_the_exact_allowed_origin_is_echoed(client, tokens, origin):
    _app, result = tokens
    response = client.get(
        "/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {result['access_token']}", HTTP_ORIGIN=origin
    )
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response
    preflight = client.options("/o/token/", HTTP_ORIGIN=origin)
    assert "Access-Control-Allow-Origin" not in preflight


def test_the_exact_origin_is_allowed_without_credentials(client, tokens):
    _app, result = tokens
    response = client.get(
        "/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {result['access_token']}", HTTP_ORIGIN=SPA
    )
    assert response["Access-Control-Allow-Origin"] == SPA
    # Bearer tokens are not ambient credentials: cookies are never allowed cross-origin.
    assert "Access-Control-Allow-Credentials" not in response
