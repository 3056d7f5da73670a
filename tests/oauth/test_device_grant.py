"""The device code grant at the token endpoint: tokens for the approving user, with the
configured claims, once per device code."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from oauth2_provider.models import get_device_grant_model

from oidc_claims.models.subjects import subject_of
from tests.factories import ApplicationFactory, ClaimDefinitionFactory, UserFactory
from tests.tokens_support import verify

pytestmark = pytest.mark.django_db

GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code"


@pytest.fixture
def tv():
    return ApplicationFactory(
        client_id="tv",
        client_type="public",
        client_secret="",
        authorization_grant_type=GRANT_TYPE,
        redirect_uris="",
    )


def device_grant(status: str, user=None, **fields):
    DeviceGrant = get_device_grant_model()
    return DeviceGrant.objects.create(
        device_code=fields.pop("device_code", "device-code-1"),
        user_code="ABCD-EFGH",
        client_id="tv",
        scope="openid email",
        expires=fields.pop("expires", timezone.now() + timedelta(minutes=10)),
        status=status,
        user=user,
        **fields,
    )


def poll(client, device_code="device-code-1"):
    return client.post(
        "/o/token/", {"grant_type": GRANT_TYPE, "device_code": device_code, "client_id": "tv"}
    )


def test_an_approved_device_gets_tokens_with_the_configured_claims_once(client, tv):
    ada = UserFactory(username="ada", groups=["eng"])
    ClaimDefinitionFactory(name="contact", value="user.email", include_in_access_token=True)
    ClaimDefinitionFactory(name="team", groups_claim=True, value="e", include_in_access_token=True)
    device_grant(get_device_grant_model().AUTHORIZED, ada)
    response = poll(client)
    assert response.status_code == 200, response.content
    token = response.json()
    assert token["scope"] == "openid email"
    _, claims = verify(token["access_token"])
    assert claims["sub"] == subject_of(ada)
    assert (claims["contact"], claims["team"]) == ("ada@example.com", ["eng"])
    again = poll(client)
    assert again.status_code == 400 and again.json()["error"] == "expired_token"


@pytest.mark.parametrize(
    ("status", "error"),
    [
        ("authorization-pending", "authorization_pending"),
        ("denied", "access_denied"),
        ("expired", "expired_token"),
    ],
)
def test_a_device_not_approved_gets_the_rfc_8628_error(client, tv, status, error):
    device_grant(status)
    response = poll(client)
    assert response.status_code in (400, 401, 403), response.content
    assert response.json()["error"] == error
