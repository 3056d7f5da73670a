"""Per-application CORS on the token, userinfo, introspection and revocation endpoints."""

from __future__ import annotations

import pytest

from tests.factories import ApplicationFactory, UserFactory
from tests.tokens_support import basic_auth, code_flow

pytestmark = pytest.mark.django_db

ALLOWED = "https://spa.example.com"
OTHER = "https://evil.example.com"


@pytest.fixture
def app():
    return ApplicationFactory(allowed_origins=ALLOWED)


@pytest.fixture
def tokens(client, app):
    client.force_login(UserFactory())
    result = code_flow(client, app, scope="openid")
    client.logout()
    return result


def call(client, app, tokens, endpoint: str, origin: str):
    if endpoint == "userinfo":
        return client.get(
            "/o/userinfo/",
            HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}",
            HTTP_ORIGIN=origin,
        )
    data = {
        "token": {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
        "introspect": {"token": tokens["access_token"]},
        "revoke_token": {"token": tokens["access_token"]},
    }[endpoint]
    return client.post(
        f"/o/{endpoint}/", data, HTTP_AUTHORIZATION=basic_auth(app.client_id), HTTP_ORIGIN=origin
    )


ENDPOINTS = ["token", "userinfo", "introspect", "revoke_token"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_allowed_origin_gets_cors_headers(client, app, tokens, endpoint):
    response = call(client, app, tokens, endpoint, ALLOWED)
    assert response.status_code == 200, response.content
    assert response["Access-Control-Allow-Origin"] == ALLOWED
    assert "Origin" in response["Vary"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_other_origin_gets_no_cors_headers(client, app, tokens, endpoint):
    response = call(client, app, tokens, endpoint, OTHER)
    assert response.status_code == 200
    assert not any(h.lower().startswith("access-control-") for h in response.headers)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_origin_of_another_application_gets_no_cors_headers(client, app, tokens, endpoint):
    ApplicationFactory(allowed_origins=OTHER)
    response = call(client, app, tokens, endpoint, OTHER)
    assert "Access-Control-Allow-Origin" not in response


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_preflight(client, app, endpoint):
    preflight = {
        "HTTP_ORIGIN": ALLOWED,
        "HTTP_ACCESS_CONTROL_REQUEST_METHOD": "POST",
        "HTTP_ACCESS_CONTROL_REQUEST_HEADERS": "authorization",
    }
    response = client.options(f"/o/{endpoint}/", **preflight)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == ALLOWED
    assert "POST" in response["Access-Control-Allow-Methods"]
    assert "Authorization" in response["Access-Control-Allow-Headers"]

    refused = client.options(f"/o/{endpoint}/", **{**preflight, "HTTP_ORIGIN": OTHER})
    assert "Access-Control-Allow-Origin" not in refused
