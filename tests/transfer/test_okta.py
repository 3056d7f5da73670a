"""Okta's authorization-server claims imported as claim definitions (command and API)."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from oidc_claims.models import ClaimDefinition
from tests.api_helpers import CLAIM_PERMS, user_with

pytestmark = pytest.mark.django_db


def okta_claim(name: str, **fields) -> dict:
    """A claim as Okta's GET /api/v1/authorizationServers/{id}/claims lists it."""
    return {
        "id": f"ocl{name}",
        "name": name,
        "status": "ACTIVE",
        "claimType": "IDENTITY",
        "valueType": "EXPRESSION",
        "value": "user.email",
        "alwaysIncludeInToken": True,
        "conditions": {"scopes": []},
        "system": False,
        "_links": {"self": {"href": f"https://example.okta.com/claims/ocl{name}"}},
        **fields,
    }


OKTA_EXPORT = [
    okta_claim(
        "sub",
        valueType="SYSTEM",
        value="(appuser != null) ? appuser.userName : app.clientId",
        claimType="RESOURCE",
        system=True,
    ),
    okta_claim("address", valueType="SYSTEM", value="", system=True),
    okta_claim("department", value='String.substringBefore(user.email, "@")'),
    okta_claim(
        "groups",
        valueType="GROUPS",
        value="eng",
        group_filter_type="STARTS_WITH",
        claimType="RESOURCE",
    ),
    okta_claim("admins", valueType="GROUPS", value="^adm-[a-z]+$", group_filter_type="REGEX"),
    okta_claim("nickname", value="user.firstName", alwaysIncludeInToken=False),
    okta_claim("api_role", value='"reader"', claimType="RESOURCE", alwaysIncludeInToken=False),
    okta_claim("email_alias", value="user.email", conditions={"scopes": ["email", "profile"]}),
    okta_claim("legacy", status="INACTIVE", value="user.login"),
    okta_claim("broken", value="String.substringBefore(user.email"),
    okta_claim("custom_type", valueType="SYSTEM", value="x"),
    okta_claim("nbf", value="0"),
    okta_claim("odd_filter", valueType="GROUPS", value="x", group_filter_type="ENDS_WITH"),
]


def run_command(tmp_path, data, *args) -> str:
    path = tmp_path / "okta.json"
    path.write_text(json.dumps(data))
    out = StringIO()
    call_command("import_okta_claims", str(path), *args, stdout=out)
    return out.getvalue()


def destinations(definition: ClaimDefinition) -> tuple[bool, bool, bool]:
    return (
        definition.include_in_id_token,
        definition.include_in_access_token,
        definition.include_in_userinfo,
    )


def test_an_okta_export_imports_as_expected(tmp_path):
    output = run_command(tmp_path, OKTA_EXPORT)
    claims = {d.name: d for d in ClaimDefinition.objects.all()}
    assert sorted(claims) == [
        "admins",
        "api_role",
        "department",
        "email_alias",
        "groups",
        "legacy",
        "nickname",
    ]

    department = claims["department"]
    assert (department.value_type, department.value) == (
        "expression",
        'String.substringBefore(user.email, "@")',
    )
    assert destinations(department) == (True, False, True)  # ID token (and userinfo)
    assert department.description == "Imported from Okta (claim ocldepartment)"

    groups = claims["groups"]
    assert (groups.value_type, groups.group_filter, groups.value) == (
        "groups",
        "starts_with",
        "eng",
    )
    assert destinations(groups) == (False, True, False)  # access token only
    assert claims["admins"].group_filter == "regex"

    assert destinations(claims["nickname"]) == (False, False, True)  # userinfo only ...
    # ... and the ID token when no access token is issued, as Okta does.
    assert claims["nickname"].id_token_without_access_token is True
    assert claims["department"].id_token_without_access_token is False
    # alwaysIncludeInToken means nothing for access-token claims in Okta.
    assert destinations(claims["api_role"]) == (False, True, False)
    assert claims["api_role"].id_token_without_access_token is False
    assert claims["email_alias"].scopes == ["email", "profile"]
    assert claims["legacy"].enabled is False
    assert all(d.enabled for name, d in claims.items() if name != "legacy")

    for line in (
        "skipped   sub: system claim",
        "skipped   address: system claim",
        "skipped   custom_type: valueType 'SYSTEM' is not supported",
        "skipped   odd_filter: group_filter_type 'ENDS_WITH' is not supported",
        "skipped   broken: value: Invalid expression: Line 1",
        "skipped   nbf: name: 'nbf' is a registered or protocol claim",
    ):
        assert line in output
    assert "7 created, 0 updated, 0 unchanged, 6 skipped" in output


def test_reimporting_changes_nothing_and_updates_in_place(tmp_path):
    run_command(tmp_path, OKTA_EXPORT)
    ids = dict(ClaimDefinition.objects.values_list("name", "pk"))
    assert "0 created, 0 updated, 7 unchanged" in run_command(tmp_path, OKTA_EXPORT)
    changed = [okta_claim("department", value="user.login")]
    assert "1 updated" in run_command(tmp_path, changed)
    assert ClaimDefinition.objects.get(pk=ids["department"]).value == "user.login"


def test_dry_run_changes_nothing(tmp_path):
    output = run_command(tmp_path, OKTA_EXPORT, "--dry-run")
    assert "would be 7 created" in output
    assert not ClaimDefinition.objects.exists()


def test_malformed_entries_are_reported_not_fatal(tmp_path):
    data = [
        "not an object",
        {"name": "no_type", "value": "user.email", "valueType": "EXPRESSION", "status": "ACTIVE"},
        okta_claim("bad_scopes", conditions={"scopes": "email"}),
        okta_claim("ok"),
    ]
    output = run_command(tmp_path, data)
    assert "skipped   (claim #1): not a JSON object" in output
    assert "skipped   no_type: claimType None is not supported" in output
    assert "skipped   bad_scopes: conditions.scopes: expected a list" in output
    assert list(ClaimDefinition.objects.values_list("name", flat=True)) == ["ok"]


def test_a_single_claim_object_is_accepted(tmp_path):
    run_command(tmp_path, okta_claim("solo"))
    assert ClaimDefinition.objects.filter(name="solo").exists()


def test_the_api_endpoint_imports_and_reports():
    client = APIClient()
    client.force_login(user_with(*CLAIM_PERMS))
    dry = client.post("/api/v1/import/okta/?dry_run=true", OKTA_EXPORT, format="json")
    assert dry.status_code == 200
    assert dry.json()["dry_run"] is True
    assert not ClaimDefinition.objects.exists()

    response = client.post("/api/v1/import/okta/", OKTA_EXPORT, format="json")
    assert response.status_code == 200
    report = response.json()
    assert report["created"] == 7
    skipped = {item["name"]: item["reason"] for item in report["skipped"]}
    assert skipped["sub"].startswith("system claim")
    assert "Line 1" in skipped["broken"]
    assert ClaimDefinition.objects.count() == 7

    not_a_list = client.post("/api/v1/import/okta/", "text", format="json")
    assert not_a_list.status_code == 200
    assert not_a_list.json()["skipped"][0]["name"] == "(document)"
