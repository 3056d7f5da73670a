"""App profiles over the API, addressed by client id."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from oidc_claims.models import AppProfile
from tests.api_helpers import PROFILE_PERMS, user_with
from tests.factories import ApplicationFactory, AppProfileFactory

pytestmark = pytest.mark.django_db


# The permissions of the `api` client (tests/conftest.py).
API_PERMISSIONS = PROFILE_PERMS


def test_put_creates_then_replaces_the_profile(api):
    app = ApplicationFactory(client_id="portal")
    created = api.put(
        "/api/v1/app-profiles/portal/",
        {"data": {"label": "Sales"}, "access_token_audience": "https://api.example.com"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["client_id"] == "portal"
    replaced = api.put("/api/v1/app-profiles/portal/", {"data": {"tier": 2}}, format="json")
    assert replaced.status_code == 200
    profile = AppProfile.objects.get(application=app)
    assert profile.data == {"tier": 2}
    assert profile.access_token_audience == ""  # omitted in a replace: back to the default


def test_get_list_patch_delete(api):
    AppProfileFactory(application=ApplicationFactory(client_id="b-app"), data={"x": 1})
    AppProfileFactory(application=ApplicationFactory(client_id="a-app"), data={"y": 2})
    assert [p["client_id"] for p in api.get("/api/v1/app-profiles/").json()] == ["a-app", "b-app"]
    assert api.get("/api/v1/app-profiles/b-app/").json()["data"] == {"x": 1}
    patched = api.patch(
        "/api/v1/app-profiles/b-app/", {"access_token_audience": "aud"}, format="json"
    )
    assert patched.status_code == 200
    assert patched.json()["data"] == {"x": 1}
    assert api.delete("/api/v1/app-profiles/b-app/").status_code == 204
    assert api.get("/api/v1/app-profiles/b-app/").status_code == 404


def test_unknown_application_and_missing_profile_are_404(api):
    ApplicationFactory(client_id="bare")
    assert api.get("/api/v1/app-profiles/nobody/").status_code == 404
    missing = api.get("/api/v1/app-profiles/bare/")
    assert missing.status_code == 404
    assert "PUT one" in missing.json()["detail"]
    assert api.patch("/api/v1/app-profiles/bare/", {"data": {}}, format="json").status_code == 404
    assert api.get("/api/v1/app-profiles/a%00b/").status_code == 404


@pytest.mark.parametrize(
    ("payload", "field", "fragment"),
    [
        ({"data": ["not", "an", "object"]}, "data", "dictionary"),
        ({"data": {"groups_allow_list": "staff"}}, "data", "must be a list of group names"),
        ({"access_token_audience": "x" * 2001}, "access_token_audience", "no more than 2000"),
    ],
)
def test_validation_errors(api, payload, field, fragment):
    ApplicationFactory(client_id="portal")
    response = api.put("/api/v1/app-profiles/portal/", payload, format="json")
    assert response.status_code == 400
    assert fragment in str(response.json()[field])
    assert not AppProfile.objects.exists()


def test_creating_needs_the_add_permission():
    ApplicationFactory(client_id="portal")
    client = APIClient()
    client.force_login(user_with("view_appprofile", "change_appprofile"))
    response = client.put("/api/v1/app-profiles/portal/", {"data": {}}, format="json")
    assert response.status_code == 403
    assert not AppProfile.objects.exists()
