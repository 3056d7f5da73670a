"""/api/v1/revisions/: the history of API (and other) changes, diffs, rollback, permissions."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from oidc_claims.models import AppProfile, ClaimDefinition
from oidc_claims.models.revisions import Revision
from oidc_claims.transfer.format import export_configuration
from tests.api_helpers import ALL_PERMS, CLAIM_PERMS, issue_token, user_with
from tests.factories import ApplicationFactory, ClaimDefinitionFactory, UserFactory
from tests.revisions_support import configure, latest_revision, payloads

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/api/v1/revisions/"
User = get_user_model()
REVISION_PERMS = [*ALL_PERMS, "view_revision"]
# The permissions of the shared `api` fixture's user.
API_PERMISSIONS = REVISION_PERMS


def session(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def username_of(client: APIClient) -> str:
    return User.objects.get(pk=client.session["_auth_user_id"]).username


def test_api_create_update_delete_each_record_a_revision_by_the_user(api):
    created = api.post(
        "/api/v1/claims/",
        {"name": "department", "value": "user.email"},
        format="json",
        HTTP_X_CHANGE_COMMENT="For the CRM",
    )
    assert created.status_code == 201
    first = latest_revision()
    name = username_of(api)
    assert (first.channel, first.author, first.user.username, first.comment) == (
        "api",
        name,
        name,
        "For the CRM",
    )
    claim_url = f"/api/v1/claims/{created.json()['id']}/"
    assert api.patch(claim_url, {"value": '"x"'}, format="json").status_code == 200
    assert api.delete(claim_url).status_code == 204
    history = Revision.objects.order_by("pk")
    assert [r.channel for r in history] == ["api"] * 3
    assert [r.diff["claims"][0]["action"] for r in history] == ["added", "changed", "removed"]
    # A write that changes nothing records nothing.
    ApplicationFactory(client_id="portal")
    count = Revision.objects.count()
    assert api.put("/api/v1/app-profiles/portal/", {"data": {}}, format="json").status_code == 201
    assert api.put("/api/v1/app-profiles/portal/", {"data": {}}, format="json").status_code == 200
    assert Revision.objects.count() == count + 1


def test_a_token_records_the_user_and_the_client_it_was_issued_to():
    user = user_with(*CLAIM_PERMS, username="bob")
    token = issue_token(user, "claims.manage")
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = client.post(
        "/api/v1/claims/", {"name": "department", "value": "user.email"}, format="json"
    )
    assert response.status_code == 201
    revision = latest_revision()
    assert revision.channel == "api" and revision.author == "bob"
    assert revision.client_id.startswith("client-")


def test_the_comment_header_is_validated_and_utf8_is_read_as_utf8(api):
    too_long = api.post(
        "/api/v1/claims/",
        {"name": "department", "value": "user.email"},
        format="json",
        HTTP_X_CHANGE_COMMENT="x" * 1001,
    )
    assert too_long.status_code == 400
    assert "at most 1000 characters" in too_long.json()["X-Change-Comment"][0]
    assert not ClaimDefinition.objects.exists()
    api.post(
        "/api/v1/claims/",
        {"name": "department", "value": "user.email"},
        format="json",
        # How WSGI hands over the UTF-8 bytes of "Zürich".
        HTTP_X_CHANGE_COMMENT="Zürich".encode().decode("latin-1"),
    )
    assert latest_revision().comment == "Zürich"


def test_list_is_newest_first_paginated_and_filtered(api):
    ClaimDefinitionFactory(name="department")
    ClaimDefinitionFactory(name="teams")
    ClaimDefinition.objects.filter(name="department").update(value='"x"')
    listing = api.get(URL)
    assert listing.status_code == 200
    body = listing.json()
    assert body["count"] == 3
    first = body["results"][0]
    assert first["channel"] == "orm" and first["summary"]["claims_changed"] == 1
    assert "snapshot" not in first and "diff" not in first
    ids = [item["id"] for item in body["results"]]
    assert ids == sorted(ids, reverse=True)
    only = api.get(URL, {"claim": "department"}).json()
    assert only["count"] == 2
    assert api.get(URL, {"limit": 1}).json()["next"]
    assert api.get(URL, {"channel": "api"}).json()["count"] == 0
    assert api.get(URL, {"channel": "nope"}).status_code == 400


def test_detail_has_the_diff_and_the_snapshot(api):
    definition = ClaimDefinitionFactory(name="department", value="user.email")
    definition.value = "user.username"
    definition.save()
    revision = latest_revision()
    body = api.get(f"{URL}{revision.pk}/").json()
    assert body["diff"] == {
        "claims": [
            {
                "action": "changed",
                "name": "department",
                "key": "'department' (id_token, userinfo)",
                "fields": [{"field": "value", "old": "user.email", "new": "user.username"}],
            }
        ],
        "app_profiles": [],
    }
    assert body["snapshot"] == export_configuration(include_tests=False)
    assert api.get(f"{URL}999999/").status_code == 404
    assert api.get(f"{URL}{'9' * 40}/").status_code == 404


def test_rollback_restores_the_tokens_of_the_revision_as_a_new_revision(api):
    setup = configure()
    target = latest_revision()
    before = payloads(setup["portal"], setup["user"])
    before_crm = payloads(setup["crm"], setup["user"])
    assert before["id_token"]["department"] == "Sales/ada@example.com"
    assert before["access_token"]["department"] == "Sales/ada@example.com"
    assert before["userinfo"]["teams"] == ["team-a", "team-b"]
    assert "department" not in before_crm["id_token"] and "nickname" not in before["id_token"]
    # Changes through every kind of write: update, delete, add, profiles changed and added.
    department = ClaimDefinition.objects.get(name="department")
    assert api.patch(
        f"/api/v1/claims/{department.pk}/", {"value": '"changed"'}, format="json"
    ).status_code == 200
    ClaimDefinition.objects.get(name="teams").delete()
    ClaimDefinition.objects.filter(name="nickname").update(enabled=True)
    ClaimDefinitionFactory(name="extra", value='"new"')
    api.put("/api/v1/app-profiles/portal/", {"data": {"label": "Ops"}}, format="json")
    api.put("/api/v1/app-profiles/crm/", {"data": {"label": "CRM"}}, format="json")
    assert payloads(setup["portal"], setup["user"]) != before
    assert payloads(setup["crm"], setup["user"]) != before_crm

    response = api.post(
        f"{URL}{target.pk}/rollback/", {"comment": "Back to the good one"}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    new = Revision.objects.get(pk=body["revision"]["id"])
    assert (new.channel, new.author, new.comment, new.restores) == (
        "rollback",
        username_of(api),
        "Back to the good one",
        target,
    )
    assert body["restored"] == target.pk and body["dry_run"] is False
    assert body["report"]["deleted"] == 2  # the extra claim and the CRM profile
    assert payloads(setup["portal"], setup["user"]) == before
    assert payloads(setup["crm"], setup["user"]) == before_crm
    assert new.snapshot == target.snapshot == export_configuration(include_tests=False)
    # The rollback's diff undoes the changes made since.
    actions = {(c["name"], c["action"]) for c in new.diff["claims"]}
    assert actions == {
        ("department", "changed"),
        ("teams", "added"),
        ("nickname", "changed"),
        ("extra", "removed"),
    }
    # Rolling back to it again changes nothing and records nothing.
    again = api.post(f"{URL}{target.pk}/rollback/", {}, format="json").json()
    assert again["revision"] is None and "nothing changed" in again["detail"]
    assert latest_revision() == new


def test_a_dry_run_reports_and_changes_nothing(api):
    configure()
    target = latest_revision()
    ClaimDefinition.objects.all().delete()
    before, count = export_configuration(include_tests=False), Revision.objects.count()
    response = api.post(f"{URL}{target.pk}/rollback/", {"dry_run": True}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["dry_run"] is True and body["revision"] is None
    assert body["report"]["created"] == 3
    assert export_configuration(include_tests=False) == before and Revision.objects.count() == count


def test_a_rollback_that_would_be_invalid_is_refused_with_the_reasons(api):
    setup = configure()
    target = latest_revision()
    setup["portal"].delete()  # its profile and claim selection go with it
    before, count = export_configuration(include_tests=False), Revision.objects.count()
    response = api.post(f"{URL}{target.pk}/rollback/", {}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == f"Rollback to revision {target.pk} refused; nothing was changed."
    assert any("no application has client id 'portal'" in error for error in body["errors"])
    assert any(error.startswith("app_profiles[0] 'portal'") for error in body["errors"])
    assert export_configuration(include_tests=False) == before and Revision.objects.count() == count


def test_a_rollback_swapping_which_duplicate_is_enabled_succeeds(api):
    first = ClaimDefinitionFactory(name="department", value='"one"')
    second = ClaimDefinitionFactory(name="department", value='"two"', enabled=False)
    target = latest_revision()
    first.enabled = False
    first.save()
    second.enabled = True
    second.save()
    response = api.post(f"{URL}{target.pk}/rollback/", {}, format="json")
    assert response.status_code == 200, response.json()
    enabled = ClaimDefinition.objects.get(name="department", enabled=True)
    assert enabled.value == '"one"'


def test_permissions_of_reading_and_rolling_back():
    ClaimDefinitionFactory(name="department")
    target = latest_revision()
    rollback = f"{URL}{target.pk}/rollback/"
    assert APIClient().get(URL).status_code == 401
    assert APIClient().post(rollback, {}, format="json").status_code == 401
    nobody = session(UserFactory(is_staff=True))
    assert nobody.get(URL).status_code == 403
    assert nobody.get(f"{URL}{target.pk}/").status_code == 403
    assert nobody.post(rollback, {}, format="json").status_code == 403
    reader = session(user_with("view_revision"))
    assert reader.get(URL).status_code == 200
    assert reader.post(rollback, {}, format="json").status_code == 403
    claims_only = session(user_with("view_revision", "change_claimdefinition"))
    assert claims_only.post(rollback, {}, format="json").status_code == 403
    changer = session(user_with("change_claimdefinition", "change_appprofile"))
    assert changer.post(rollback, {}, format="json").status_code == 200
    assert changer.post(f"{URL}424242/rollback/", {}, format="json").status_code == 404
    # Revisions are written by the recorder only.
    superuser = session(UserFactory(is_superuser=True))
    assert superuser.delete(f"{URL}{target.pk}/").status_code == 405
    assert superuser.post(URL, {}, format="json").status_code == 405


def test_rollback_needs_the_manage_scope():
    ClaimDefinitionFactory(name="department")
    target = latest_revision()
    user = user_with(*REVISION_PERMS)
    reader = APIClient(HTTP_AUTHORIZATION=f"Bearer {issue_token(user, 'claims.read')}")
    assert reader.get(URL).status_code == 200
    refused = reader.post(f"{URL}{target.pk}/rollback/", {}, format="json")
    assert refused.status_code == 403 and "claims.manage" in refused.json()["detail"]


def test_rollback_comment_from_the_header_and_invalid_bodies(api):
    ClaimDefinitionFactory(name="department")
    target = latest_revision()
    ClaimDefinition.objects.all().delete()
    bad = api.post(f"{URL}{target.pk}/rollback/", {"dry_run": "maybe"}, format="json")
    assert bad.status_code == 400 and "dry_run" in bad.json()
    long = api.post(f"{URL}{target.pk}/rollback/", {"comment": "x" * 1001}, format="json")
    assert long.status_code == 400 and "comment" in long.json()
    ok = api.post(
        f"{URL}{target.pk}/rollback/", {}, format="json", HTTP_X_CHANGE_COMMENT="undo"
    )
    assert ok.status_code == 200
    assert latest_revision().comment == "undo"
    assert AppProfile.objects.count() == 0


def test_a_dry_run_shows_the_impact_on_tokens_to_who_may_preview_them(api):
    configure()
    target = latest_revision()
    ClaimDefinition.objects.filter(name="department").update(value='"changed"')
    response = api.post(f"{URL}{target.pk}/rollback/", {"dry_run": True}, format="json")
    impact = response.json()["report"]["impact"]
    assert impact is not None
    id_token = next(s for s in impact["summary"] if s["destination"] == "id_token")
    assert id_token["changed_users"] >= 1
    assert ClaimDefinition.objects.get(name="department").value == '"changed"'
    # Without the preview permission: the report without the impact.
    no_preview = session(user_with(*CLAIM_PERMS, "change_appprofile", "view_revision"))
    body = no_preview.post(f"{URL}{target.pk}/rollback/", {"dry_run": True}, format="json").json()
    assert body["report"]["impact"] is None and body["report"]["updated"] == 1


def test_the_schema_documents_the_comment_header_on_writes_only():
    schema = APIClient().get("/api/schema/?format=json").json()

    def parameters(path: str, method: str) -> set[str]:
        return {p["name"] for p in schema["paths"][path][method].get("parameters", [])}

    for path, method in [
        ("/api/v1/claims/", "post"),
        ("/api/v1/claims/{id}/", "patch"),
        ("/api/v1/claims/{id}/", "delete"),
        ("/api/v1/app-profiles/{client_id}/", "put"),
        ("/api/v1/import/", "post"),
        ("/api/v1/revisions/{id}/rollback/", "post"),
    ]:
        assert "X-Change-Comment" in parameters(path, method), (path, method)
    assert "X-Change-Comment" not in parameters("/api/v1/claims/", "get")
    assert "X-Change-Comment" not in parameters("/api/v1/preview/", "post")
    rollback = schema["paths"]["/api/v1/revisions/{id}/rollback/"]["post"]
    assert {"oauth2": ["claims.manage"]} in rollback["security"]
    listing = schema["paths"]["/api/v1/revisions/"]["get"]
    assert {"channel", "claim", "limit", "offset"} <= parameters("/api/v1/revisions/", "get")
    assert {"oauth2": ["claims.read"]} in listing["security"]
