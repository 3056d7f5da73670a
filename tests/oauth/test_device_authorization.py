"""The device authorization endpoint (RFC 8628 section 3.1) answers, and stores the grant."""

from __future__ import annotations

import pytest
from django.test import Client
from oauth2_provider.models import get_application_model, get_device_grant_model

from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def device_app():
    return ApplicationFactory(
        client_type="public",
        client_secret="",
        authorization_grant_type=get_application_model().GRANT_DEVICE_CODE,
    )


def post(body: str) -> tuple[int, dict]:
    response = Client(raise_request_exception=False).post(
        "/o/device-authorization/", body, content_type=FORM
    )
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    return response.status_code, response.json()


def test_device_authorization_issues_codes_and_stores_the_grant_with_its_scope(device_app):
    status, body = post(f"client_id={device_app.client_id}&scope=openid+profile")
    assert status == 200
    assert body["verification_uri"] == "http://testserver/o/device/"
    assert body["expires_in"] > 0 and body["interval"] == 5
    grant = get_device_grant_model().objects.get(device_code=body["device_code"])
    assert (grant.client_id, grant.user_code, grant.scope) == (
        device_app.client_id,
        body["user_code"],
        "openid profile",
    )
    assert grant.status == "authorization-pending"


def test_device_authorization_without_scope_stores_the_default_scopes(device_app):
    status, body = post(f"client_id={device_app.client_id}")
    assert status == 200
    assert get_device_grant_model().objects.get(device_code=body["device_code"]).scope == "openid"


@pytest.mark.parametrize(
    "body", ["client_id=unknown", "scope=openid", "client_id=a%00b", "client_id=%C3%A9%FF"]
)
def test_device_authorization_refuses_bad_requests_with_invalid_request(device_app, body):
    status, answer = post(body)
    assert (status, answer["error"]) == (400, "invalid_request")
    assert not get_device_grant_model().objects.exists()
