"""Token preview over the API: the admin preview's result, as JSON."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from rest_framework.test import APIClient

from oidc_claims.preview.build import build_preview
from tests.api_helpers import issue_token, user_with
from tests.factories import ApplicationFactory, ClaimDefinitionFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/preview/"
# Differ between two previews by nature (time and random ids).
VOLATILE = {"iat", "exp", "jti", "auth_time", "nbf"}


# The permissions of the `api` client (tests/conftest.py).
API_PERMISSIONS = ["preview_token"]


def stable(panel: dict) -> dict:
    return {k: v for k, v in (panel.get("payload") or {}).items() if k not in VOLATILE}


def test_preview_returns_what_build_preview_builds(api):
    app = ApplicationFactory(client_id="portal")
    user = UserFactory(username="ada", email="ada@example.com")
    ClaimDefinitionFactory(name="mail_domain", value='String.substringAfter(user.email, "@")')
    response = api.post(
        URL,
        {
            "application": "portal",
            "grant_type": "authorization_code",
            "user": "ada",
            "scopes": ["openid", "email"],
            "nonce": "n-1",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["id_token"]["payload"]["mail_domain"] == "example.com"
    assert body["signed"] is False
    expected = build_preview(
        app,
        "authorization_code",
        user,
        ["openid", "email"],
        None,
        "n-1",
        request=RequestFactory().post(URL),  # the same host, hence the same issuer
    )
    for panel in ("id_token", "access_token", "userinfo"):
        assert stable(body[panel]) == stable(expected[panel])
    assert body["trace"] == expected["trace"]


def test_client_credentials_needs_no_user(api):
    ApplicationFactory(client_id="machine", authorization_grant_type="client-credentials")
    response = api.post(
        URL, {"application": "machine", "grant_type": "client_credentials"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["inputs"]["user"] is None


def test_client_credentials_trace_shows_no_user(api):
    ApplicationFactory(client_id="machine", authorization_grant_type="client-credentials")
    ClaimDefinitionFactory(
        name="team",
        value='isMemberOfGroupName("eng") ? "eng" : "other"',
        include_in_access_token=True,
    )
    ClaimDefinitionFactory(name="client", value="app.clientId", include_in_access_token=True)
    response = api.post(
        URL, {"application": "machine", "grant_type": "client_credentials"}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert "team" not in body["access_token"]["payload"]
    assert body["access_token"]["payload"]["client"] == "machine"
    team = [row for row in body["trace"] if row["claim_name"] == "team"]
    assert "access_token" in {row["destination"] for row in team}
    assert {row["reason"] for row in team} == {"no_user"}


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"grant_type": "authorization_code"}, "user"),
        ({"grant_type": "password", "user": "nobody"}, "user"),
        ({"grant_type": "magic", "user": "ada"}, "grant_type"),
        ({"grant_type": "authorization_code", "user": "ada", "claims": ["x"]}, "claims"),
        ({"grant_type": "authorization_code", "user": "ada", "claims": {"id_token": 1}}, "claims"),
        ({"application": "unknown", "grant_type": "password", "user": "ada"}, "application"),
    ],
)
def test_bad_inputs_are_400_naming_the_field(api, payload, field):
    ApplicationFactory(client_id="portal")
    UserFactory(username="ada")
    response = api.post(URL, {"application": "portal", **payload}, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()


def test_preview_needs_the_preview_permission():
    ApplicationFactory(client_id="portal")
    UserFactory(username="ada")
    client = APIClient()
    client.force_login(user_with("view_claimdefinition", "change_claimdefinition"))
    inputs = {"application": "portal", "grant_type": "password", "user": "ada"}
    assert client.post(URL, inputs, format="json").status_code == 403


def test_the_read_scope_suffices_for_a_preview():
    ApplicationFactory(client_id="portal")
    UserFactory(username="ada")
    client = APIClient(
        HTTP_AUTHORIZATION=f"Bearer {issue_token(user_with('preview_token'), 'claims.read')}"
    )
    inputs = {"application": "portal", "grant_type": "password", "user": "ada"}
    assert client.post(URL, inputs, format="json").status_code == 200


def test_the_preview_api_shows_the_claim_and_token_caps(api, settings):
    settings.OIDC_CLAIMS = {"TOKEN_MAX_BYTES": 3000, "CLAIM_MAX_BYTES": 2500}
    ApplicationFactory(client_id="portal")
    UserFactory(username="ada", email="ada@example.com")
    ClaimDefinitionFactory(name="huge", value='String.replace("' + "x" * 1000 + '", "x", "xxx")')
    ClaimDefinitionFactory(name="large", value='String.replace("' + "x" * 1000 + '", "x", "xx")')
    ClaimDefinitionFactory(
        name="large_too", value='String.replace("' + "y" * 1000 + '", "y", "yy")'
    )
    payload = {
        "application": "portal",
        "grant_type": "authorization_code",
        "user": "ada",
        "scopes": ["openid"],
    }
    body = api.post(URL, payload, format="json").json()
    huge = [row for row in body["trace"] if row["claim_name"] == "huge"]
    # Configured for the ID token and userinfo (the factory's default destinations).
    assert [row["reason"] for row in huge if row["destination"] != "access_token"] == [
        "value_too_large",
        "value_too_large",
    ]
    error = huge[0]["error"]
    assert "the value encodes to 3002 bytes of JSON, more than the limit of 2500" in error
    assert body["id_token"]["status"] == "refused"
    assert "The ID token's claims encode to" in body["id_token"]["note"]
    assert "(OIDC_CLAIMS['TOKEN_MAX_BYTES'])" in body["refused"]
    # The access token carries neither large claim (not configured for it): issued.
    assert body["access_token"]["status"] == "issued"

    settings.OIDC_CLAIMS = {"TOKEN_MAX_BYTES": 65_536, "CLAIM_MAX_BYTES": 2500}
    body = api.post(URL, payload, format="json").json()
    assert body["refused"] is None
    assert body["id_token"]["payload"]["large"] == "x" * 2000
