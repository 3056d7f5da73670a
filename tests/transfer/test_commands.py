"""export_claims / import_claims: stable files, round trips, dry runs, all-or-nothing imports."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from oidc_claims.models import AppProfile, ClaimDefinition
from oidc_claims.preview.build import build_preview
from tests.factories import (
    ApplicationFactory,
    AppProfileFactory,
    ClaimDefinitionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

VOLATILE = {"iat", "exp", "jti", "auth_time", "nbf", "at_hash", "c_hash"}


def export() -> str:
    out = StringIO()
    call_command("export_claims", stdout=out)
    return out.getvalue()


def import_file(tmp_path, document, *args: str) -> str:
    path = tmp_path / "claims.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    out = StringIO()
    call_command("import_claims", str(path), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def configuration():
    """A configuration with every kind of definition, and the inputs to preview it with."""
    portal = ApplicationFactory(client_id="portal")
    machine = ApplicationFactory(client_id="machine", authorization_grant_type="client-credentials")
    AppProfileFactory(application=portal, data={"label": "Sales", "groups_allow_list": ["eng-a"]})
    AppProfileFactory(
        application=machine,
        data={"label": "Batch"},
        access_token_audience="https://api.example.com",
    )
    ClaimDefinitionFactory(name="mail_domain", value='String.substringAfter(user.email, "@")')
    ClaimDefinitionFactory(
        name="groups", groups_claim=True, value="eng", include_in_access_token=True
    )
    ClaimDefinitionFactory(
        name="label",
        value="app.profile.label",
        include_in_id_token=False,
        include_in_userinfo=False,
        include_in_access_token=True,
    )
    ClaimDefinitionFactory(name="portal_only", value='"yes"', applications=[portal])
    ClaimDefinitionFactory(name="with_email", value="user.email", scopes=["email"])
    ClaimDefinitionFactory(name="mail_domain", value='"off"', enabled=False)
    ClaimDefinitionFactory(name="mail_domain", value='"off again"', enabled=False)
    user = UserFactory(username="ada", email="ada@example.org", groups=["eng-a", "eng-b", "ops"])
    return [
        (portal, "authorization_code", user, ["openid", "email"]),
        (portal, "refresh_token", user, ["openid"]),
        (machine, "client_credentials", None, []),
    ]


def previews(inputs) -> list[dict]:
    request = RequestFactory().get("/")
    results = []
    for application, grant, user, scopes in inputs:
        preview = build_preview(application, grant, user, scopes, request=request)
        results.append(
            {
                panel: {
                    k: v for k, v in (preview[panel]["payload"] or {}).items() if k not in VOLATILE
                }
                for panel in ("id_token", "access_token", "userinfo")
            }
        )
    return results


def test_export_is_stable_and_references_applications_by_client_id(configuration):
    first = export()
    assert export() == first
    document = json.loads(first)
    assert (document["format"], document["version"]) == ("oidc_claims.claims", 1)
    names = [(c["name"], c["enabled"]) for c in document["claims"]]
    assert names == sorted(names, key=lambda item: item[0])
    portal_only = next(c for c in document["claims"] if c["name"] == "portal_only")
    assert portal_only["applications"] == ["portal"]
    assert [p["client_id"] for p in document["app_profiles"]] == ["machine", "portal"]
    assert "created" not in first and "updated" not in first


def test_export_writes_a_file(tmp_path, configuration):
    path = tmp_path / "out.json"
    call_command("export_claims", "--output", str(path))
    assert path.read_text() == export()


def test_round_trip_reproduces_the_same_tokens(tmp_path, configuration):
    before = previews(configuration)
    assert before[0]["id_token"]["mail_domain"] == "example.org"  # the fixture is meaningful
    assert before[2]["access_token"]["label"] == "Batch"
    exported = export()

    ClaimDefinition.objects.all().delete()
    AppProfile.objects.all().delete()
    assert previews(configuration) != before

    output = import_file(tmp_path, exported)
    assert "9 created" in output
    assert previews(configuration) == before
    assert export() == exported


def test_importing_twice_changes_nothing_the_second_time(tmp_path, configuration):
    exported = export()
    stamps = dict(ClaimDefinition.objects.values_list("pk", "updated"))
    output = import_file(tmp_path, exported)
    assert "0 created, 0 updated, 9 unchanged" in output
    assert dict(ClaimDefinition.objects.values_list("pk", "updated")) == stamps


def test_import_updates_the_definition_with_the_same_name_and_destinations(tmp_path, configuration):
    document = json.loads(export())
    entry = next(c for c in document["claims"] if c["name"] == "with_email")
    entry["value"] = "user.login"
    entry["applications"] = ["machine"]
    output = import_file(tmp_path, document)
    assert "update    claim 'with_email' (id_token, userinfo) (value, applications)" in output
    definition = ClaimDefinition.objects.get(name="with_email")
    assert definition.value == "user.login"
    assert [a.client_id for a in definition.applications.all()] == ["machine"]


def test_dry_run_shows_the_changes_and_changes_nothing(tmp_path, configuration):
    document = json.loads(export())
    document["claims"][0]["description"] = "changed"
    document["claims"].append({"name": "brand_new", "value": '"x"'})
    document["app_profiles"][0]["data"] = {"label": "Other"}
    before = export()
    output = import_file(tmp_path, document, "--dry-run")
    assert "create    claim 'brand_new' (id_token, userinfo)" in output
    assert "(description)" in output
    assert "update    app_profile machine (data)" in output
    assert "Dry run, nothing changed: would be 1 created, 2 updated" in output
    assert export() == before


def test_an_invalid_file_is_refused_whole_listing_every_error(tmp_path, configuration):
    before = export()
    document = json.loads(before)
    document["claims"].append({"name": "valid_new", "value": '"fine"'})
    document["claims"][0]["description"] = "valid, applied first, then rolled back"
    next(c for c in document["claims"] if c["name"] == "label")["value"] = "user.email +"
    document["claims"].append({"name": "sub", "value": "user.email"})
    document["claims"].append({"name": "apps", "value": '"x"', "applications": ["ghost"]})
    document["app_profiles"].append({"client_id": "ghost", "data": {}})
    with pytest.raises(CommandError) as refused:
        import_file(tmp_path, document)
    message = str(refused.value)
    assert "nothing was changed" in message
    assert "4 error(s)" in message
    assert "Line 1, column 13" in message
    assert "claims[8] 'sub' (id_token, userinfo): name: 'sub' is a registered" in message
    assert "no application has client id 'ghost'" in message
    assert "app_profiles[2] 'ghost'" in message
    assert export() == before
    assert not ClaimDefinition.objects.filter(name="valid_new").exists()


def test_a_malformed_document_lists_every_structural_error(tmp_path):
    document = {
        "format": "something-else",
        "version": 2,
        "claims": [
            {"name": 3, "value": "x"},
            {"value": "x", "enabled": "yes", "typo_field": 1},
            "not an object",
            {"name": "n", "value": "x", "scopes": [1], "group_limit": True},
            {"name": "nul\u0000", "value": "x"},
        ],
        "app_profiles": {},
    }
    with pytest.raises(CommandError) as refused:
        import_file(tmp_path, document)
    message = str(refused.value)
    for expected in (
        "format: expected 'oidc_claims.claims', found 'something-else'",
        "version: this version of oidc_claims reads version 1, found 2",
        "claims[0].name: expected a string, found an integer",
        "claims[1].name: this field is required",
        "claims[1].enabled: expected true or false, found a string",
        "claims[1]: unknown fields typo_field",
        "claims[2]: expected an object, found a string",
        "claims[3].scopes: expected a list of strings",
        "claims[3].group_limit: expected an integer, found a boolean",
        "claims[4].name: a string contains a NUL character",
        "app_profiles: expected a list, found an object",
    ):
        assert expected in message
    assert not ClaimDefinition.objects.exists()


def test_a_file_that_is_not_json_is_refused(tmp_path):
    with pytest.raises(CommandError, match="not valid JSON"):
        import_file(tmp_path, "{oops")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_claims", str(tmp_path / "missing.json"))
