"""OAuth clients and API callers get JSON errors from the example site, never an HTML page."""

from __future__ import annotations

import pytest
from django.test import Client

from oidc_claims.oauth.validator import ClaimsOAuth2Validator

pytestmark = pytest.mark.django_db


def crash(*args, **kwargs):
    raise RuntimeError("simulated failure")


def test_a_crash_at_the_token_endpoint_is_a_json_server_error(monkeypatch):
    monkeypatch.setattr(ClaimsOAuth2Validator, "authenticate_client", crash)
    client = Client(raise_request_exception=False)
    response = client.post("/o/token/", {"grant_type": "client_credentials"})
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"] == "server_error"
    assert b"simulated failure" not in response.content and b"Traceback" not in response.content


def test_a_crash_elsewhere_is_django_s_plain_page(monkeypatch):
    monkeypatch.setattr("example_project.views.render", crash)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert b"simulated failure" not in response.content


@pytest.mark.parametrize("path", ["/o/token/", "/api/v1/claims/"])
def test_a_disallowed_host_is_a_json_invalid_request(settings, path):
    settings.ALLOWED_HOSTS = ["idp.example.com"]
    response = Client().post(path, HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"
