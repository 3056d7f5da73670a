"""``?dry_run=true`` on the API's writes: 200 with the impact report, and nothing saved."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from oidc_claims.engine.config_version import current_version
from oidc_claims.models import AppProfile, ClaimDefinition
from tests.api_helpers import ALL_PERMS, CLAIM_PERMS, PROFILE_PERMS, issue_token, user_with
from tests.factories import (
    ApplicationFactory,
    AppProfileFactory,
    ClaimDefinitionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CLAIMS = "/api/v1/claims/"
TEAM = {"name": "team", "value": 'user.isMemberOfGroupName("eng") ? "eng" : null'}


@pytest.fixture
def portal():
    application = ApplicationFactory(client_id="portal", name="Portal")
    AppProfileFactory(application=application, data={"label": "Staff portal"})
    return application


@pytest.fixture
def users():
    return UserFactory(username="ada", groups=["eng"]), UserFactory(username="bob")


@pytest.fixture
def admin_user():
    # A group-less account: it is compared too, and its tokens do not change.
    return user_with(*ALL_PERMS, username="zed-admin")


@pytest.fixture
def api(admin_user) -> APIClient:
    client = APIClient()
    client.force_login(admin_user)
    return client


def id_token_of(report, client_id="portal"):
    app = next(a for a in report["applications"] if a["client_id"] == client_id)
    return next(d for d in app["destinations"] if d["destination"] == "id_token")


def test_dry_run_create_reports_the_impact_and_saves_nothing(api, portal, users):
    version = current_version()
    response = api.post(f"{CLAIMS}?dry_run=true", TEAM, format="json")
    assert response.status_code == 200, response.content
    report = response.json()
    assert report["changes"] == [
        {"kind": "claim", "action": "created", "key": "team", "fields": []}
    ]
    id_token = id_token_of(report)
    assert (id_token["changed_users"], id_token["users"]) == (1, 3)
    assert id_token["claims"] == [
        {"kind": "added", "claim": "team", "users": 1, "examples": ["ada"]}
    ]
    assert report["users"]["sample"] is False
    assert not ClaimDefinition.objects.exists()
    assert current_version() == version


def test_dry_run_update_and_replace(api, portal, users):
    tier = ClaimDefinitionFactory(name="tier", value='"gold"')
    patched = api.patch(f"{CLAIMS}{tier.pk}/?dry_run=true", {"value": '"silver"'}, format="json")
    assert patched.status_code == 200, patched.content
    app = patched.json()["applications"][0]
    assert app["user_diffs"][0]["destinations"]["id_token"]["changed"] == {
        "tier": {"old": "gold", "new": "silver"}
    }
    replaced = api.put(
        f"{CLAIMS}{tier.pk}/?dry_run=true",
        {"name": "tier", "value": '"gold"', "applications": ["portal"], "enabled": False},
        format="json",
    )
    assert replaced.status_code == 200, replaced.content
    assert replaced.json()["changes"][0]["fields"] == ["enabled", "applications"]
    assert id_token_of(replaced.json())["changed_users"] == 3
    stored = ClaimDefinition.objects.get(pk=tier.pk)
    assert (stored.value, stored.enabled, stored.applications.count()) == ('"gold"', True, 0)


def test_dry_run_delete(api, portal, users):
    tier = ClaimDefinitionFactory(name="tier", value='"gold"')
    response = api.delete(f"{CLAIMS}{tier.pk}/?dry_run=true")
    assert response.status_code == 200, response.content
    assert id_token_of(response.json())["claims"][0]["kind"] == "removed"
    assert ClaimDefinition.objects.filter(pk=tier.pk).exists()


def test_a_dry_run_of_an_invalid_change_is_400_as_without_it(api, portal, users):
    response = api.post(f"{CLAIMS}?dry_run=true", {"name": "iss", "value": "(("}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"name", "value"}
    bad_flag = api.post(f"{CLAIMS}?dry_run=maybe", TEAM, format="json")
    assert bad_flag.status_code == 400
    assert "dry_run" in bad_flag.json()
    assert not ClaimDefinition.objects.exists()


def test_dry_run_false_saves_as_usual(api, portal, users):
    response = api.post(f"{CLAIMS}?dry_run=false", TEAM, format="json")
    assert response.status_code == 201
    assert ClaimDefinition.objects.filter(name="team").exists()


def test_dry_run_of_app_profile_writes(api, portal, users):
    ClaimDefinitionFactory(name="label", value="app.profile.label")
    url = "/api/v1/app-profiles/portal/?dry_run=true"
    patched = api.patch(url, {"data": {"label": "Sales"}}, format="json")
    assert patched.status_code == 200, patched.content
    report = patched.json()
    assert report["changes"] == [
        {"kind": "app_profile", "action": "updated", "key": "portal", "fields": ["data"]}
    ]
    assert id_token_of(report)["claims"] == [
        {"kind": "changed", "claim": "label", "users": 3, "examples": ["zed-admin", "ada", "bob"]}
    ]
    deleted = api.delete(url)
    assert deleted.status_code == 200
    assert id_token_of(deleted.json())["claims"][0]["kind"] == "removed"
    assert AppProfile.objects.get(application=portal).data == {"label": "Staff portal"}

    ApplicationFactory(client_id="new-app")
    created = api.put(
        "/api/v1/app-profiles/new-app/?dry_run=true", {"data": {"label": "N"}}, format="json"
    )
    assert created.status_code == 200, created.content
    assert created.json()["changes"][0]["action"] == "created"
    assert id_token_of(created.json(), "new-app")["changed_users"] == 3
    assert AppProfile.objects.count() == 1


def test_dry_run_import_reports_the_changes_and_their_impact(api, portal, users):
    document = api.get("/api/v1/export/").json()
    document["claims"].append(TEAM)
    response = api.post("/api/v1/import/?dry_run=true", document, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["dry_run"], body["created"]) == (True, 1)
    assert id_token_of(body["impact"])["claims"][0] == {
        "kind": "added",
        "claim": "team",
        "users": 1,
        "examples": ["ada"],
    }
    assert not ClaimDefinition.objects.exists()

    document["claims"].append({"name": "iss", "value": '"x"'})
    refused = api.post("/api/v1/import/?dry_run=true", document, format="json")
    assert refused.status_code == 400
    assert "iss" in refused.json()["errors"][0]

    applied = api.post("/api/v1/import/", {**document, "claims": [TEAM]}, format="json")
    assert applied.status_code == 200
    assert applied.json()["impact"] is None  # only dry runs report it


def test_dry_run_okta_import_reports_the_impact(api, portal, users):
    okta = [
        {
            "name": "team",
            "status": "ACTIVE",
            "claimType": "IDENTITY",
            "valueType": "EXPRESSION",
            "value": 'user.isMemberOfGroupName("eng") ? "eng" : null',
            "conditions": {"scopes": []},
        }
    ]
    response = api.post("/api/v1/import/okta/?dry_run=true", okta, format="json")
    assert response.status_code == 200, response.content
    assert id_token_of(response.json()["impact"])["changed_users"] == 1
    assert not ClaimDefinition.objects.exists()


def test_an_import_dry_run_without_the_preview_permission_has_no_impact(portal, users):
    client = APIClient()
    client.force_login(user_with(*CLAIM_PERMS, *PROFILE_PERMS))
    document = {"format": "oidc_claims.claims", "version": 1, "claims": [TEAM]}
    response = client.post("/api/v1/import/?dry_run=true", document, format="json")
    assert response.status_code == 200
    assert (response.json()["created"], response.json()["impact"]) == (1, None)


def test_dry_run_permissions(portal, users):
    tier = ClaimDefinitionFactory(name="tier", value='"gold"')
    anonymous = APIClient().post(f"{CLAIMS}?dry_run=true", TEAM, format="json")
    assert anonymous.status_code == 401

    # The impact shows other users' claims: the preview permission is needed too.
    writer = APIClient()
    writer.force_login(user_with(*CLAIM_PERMS))
    refused = writer.post(f"{CLAIMS}?dry_run=true", TEAM, format="json")
    assert refused.status_code == 403
    assert "oidc_claims.preview_token" in refused.json()["detail"]
    assert writer.delete(f"{CLAIMS}{tier.pk}/?dry_run=true").status_code == 403

    # And the permission for the change itself.
    previewer = APIClient()
    previewer.force_login(user_with("view_claimdefinition", "preview_token"))
    assert previewer.post(f"{CLAIMS}?dry_run=true", TEAM, format="json").status_code == 403
    assert previewer.delete(f"{CLAIMS}{tier.pk}/?dry_run=true").status_code == 403

    # A token needs the manage scope, as for the change.
    reader = APIClient(
        HTTP_AUTHORIZATION=f"Bearer {issue_token(user_with(*ALL_PERMS), 'claims.read')}"
    )
    assert reader.post(f"{CLAIMS}?dry_run=true", TEAM, format="json").status_code == 403
    manager = APIClient(
        HTTP_AUTHORIZATION=f"Bearer {issue_token(user_with(*ALL_PERMS), 'claims.manage')}"
    )
    assert manager.post(f"{CLAIMS}?dry_run=true", TEAM, format="json").status_code == 200
    assert list(ClaimDefinition.objects.values_list("name", flat=True)) == ["tier"]


def test_the_schema_documents_the_dry_run():
    schema = APIClient().get("/api/schema/?format=json").json()
    operations = [
        ("/api/v1/claims/", "post"),
        ("/api/v1/claims/{id}/", "put"),
        ("/api/v1/claims/{id}/", "patch"),
        ("/api/v1/claims/{id}/", "delete"),
        ("/api/v1/app-profiles/{client_id}/", "put"),
        ("/api/v1/app-profiles/{client_id}/", "patch"),
        ("/api/v1/app-profiles/{client_id}/", "delete"),
        ("/api/v1/import/", "post"),
    ]
    for path, method in operations:
        operation = schema["paths"][path][method]
        assert "dry_run" in {p["name"] for p in operation["parameters"]}, (path, method)
        assert "200" in operation["responses"], (path, method)
    created = schema["paths"]["/api/v1/claims/"]["post"]["responses"]["200"]
    assert created["content"]["application/json"]["schema"]["$ref"].endswith("/ImpactReport")
    report = schema["components"]["schemas"]["ImpactReport"]
    assert set(report["required"]) >= {"changes", "summary", "users", "partial", "applications"}
