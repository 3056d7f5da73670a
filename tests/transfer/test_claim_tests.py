"""Claim tests in the export format: stable entries, round trips, strict imports."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from oidc_claims.models.claim_tests import ClaimTest
from oidc_claims.transfer.format import export_configuration
from oidc_claims.transfer.importer import ImportRejected, import_document
from tests.api_helpers import ALL_PERMS, CLAIM_PERMS, PROFILE_PERMS, user_with
from tests.factories import ApplicationFactory, ClaimTestFactory, UserFactory

pytestmark = pytest.mark.django_db

GOLD = {"destination": "id_token", "claim": "tier", "operator": "equals", "value": "gold"}


@pytest.fixture
def tests_():
    portal = ApplicationFactory(client_id="portal")
    machine = ApplicationFactory(client_id="machine", authorization_grant_type="client-credentials")
    ada = UserFactory(username="ada")
    ClaimTestFactory(
        name="zed",
        application=portal,
        user=ada,
        scopes=["openid", "email"],
        claims_parameter={"id_token": {"tier": None}},
        expectations=[GOLD],
        description="ada's tier",
    )
    ClaimTestFactory(
        name="alpha",
        application=machine,
        user=None,
        grant_type="client_credentials",
        scopes=[],
        expectations=[{"destination": "access_token", "claim": "tier", "operator": "absent"}],
        enabled=False,
    )


def test_export_names_users_and_applications_and_sorts_by_name(tests_):
    document = export_configuration()
    assert document["claim_tests"] == [
        {
            "name": "alpha",
            "description": "",
            "enabled": False,
            "application": "machine",
            "user": None,
            "grant_type": "client_credentials",
            "scopes": [],
            "claims": None,
            "expectations": [
                {"destination": "access_token", "claim": "tier", "operator": "absent"}
            ],
        },
        {
            "name": "zed",
            "description": "ada's tier",
            "enabled": True,
            "application": "portal",
            "user": "ada",
            "grant_type": "authorization_code",
            "scopes": ["openid", "email"],
            "claims": {"id_token": {"tier": None}},
            "expectations": [GOLD],
        },
    ]
    # Byte-stable: the same configuration, the same file.
    assert json.dumps(export_configuration()) == json.dumps(document)


def test_a_snapshot_may_leave_the_tests_out(tests_):
    assert "claim_tests" not in export_configuration(include_tests=False)


def test_round_trip_through_the_commands(tests_, tmp_path):
    out = StringIO()
    call_command("export_claims", stdout=out)
    exported = out.getvalue()
    path = tmp_path / "claims.json"
    path.write_text(exported)
    ClaimTest.objects.all().delete()

    report = StringIO()
    call_command("import_claims", str(path), stdout=report)
    assert "create    claim_test alpha" in report.getvalue()
    again = StringIO()
    call_command("export_claims", stdout=again)
    assert again.getvalue() == exported

    report = StringIO()
    call_command("import_claims", str(path), stdout=report)
    assert "unchanged claim_test zed" in report.getvalue()


def test_an_import_updates_a_test_by_name_and_reports_the_fields(tests_):
    document = export_configuration()
    document["claim_tests"][1]["expectations"] = [{**GOLD, "value": "silver"}]
    document["claim_tests"][1]["user"] = None
    document["claim_tests"][1]["grant_type"] = "client_credentials"
    document["claim_tests"][1]["application"] = "machine"
    report = import_document(document).as_dict()
    [change] = [c for c in report["changes"] if c["key"] == "zed"]
    assert change == {
        "kind": "claim_test",
        "action": "update",
        "key": "zed",
        "fields": ["application", "user", "grant_type", "expectations"],
    }
    test = ClaimTest.objects.get(name="zed")
    assert test.user is None and test.expectations == [{**GOLD, "value": "silver"}]


@pytest.mark.parametrize(
    ("entry", "error"),
    [
        ({"user": "nobody"}, "claim_tests[0] 'new': user: no user has username 'nobody'."),
        (
            {"application": "ghost"},
            "claim_tests[0] 'new': application: no application has client id 'ghost'.",
        ),
        (
            {"expectations": [{**GOLD, "operator": "like"}]},
            "claim_tests[0] 'new': expectations: "
            "Expectation 1: operator 'like' is not one of equals, absent, contains, matches.",
        ),
        (
            {"expectations": [{**GOLD, "operator": "matches", "value": "(a)\\1"}]},
            "claim_tests[0] 'new': expectations: Expectation 1: invalid regular expression",
        ),
        ({"claims": "tier"}, "claim_tests[0].claims: expected an object or null, found a string."),
        ({"user": None}, "claim_tests[0] 'new': user: The authorization_code grant issues tokens"),
        ({"scopes": [1]}, "claim_tests[0].scopes: expected a list of strings."),
        ({"extra": 1}, "claim_tests[0]: unknown fields extra."),
    ],
)
def test_bad_test_entries_refuse_the_import_with_the_reason(tests_, entry, error):
    document = {
        "format": "oidc_claims.claims",
        "version": 1,
        "claim_tests": [
            {"name": "new", "application": "portal", "user": "ada", "expectations": [GOLD], **entry}
        ],
    }
    with pytest.raises(ImportRejected) as raised:
        import_document(document)
    assert any(found.startswith(error) for found in raised.value.errors), raised.value.errors
    assert not ClaimTest.objects.filter(name="new").exists()


def test_a_required_field_missing(db):
    document = {"format": "oidc_claims.claims", "version": 1, "claim_tests": [{"name": "x"}]}
    with pytest.raises(ImportRejected) as raised:
        import_document(document)
    assert raised.value.errors == [
        "claim_tests[0].application: this field is required.",
        "claim_tests[0].expectations: this field is required.",
    ]


def test_the_import_command_lists_the_errors(tests_, tmp_path):
    path = tmp_path / "claims.json"
    document = export_configuration()
    document["claim_tests"][0]["application"] = "ghost"
    path.write_text(json.dumps(document))
    with pytest.raises(CommandError, match="application: no application has client id 'ghost'"):
        call_command("import_claims", str(path), stdout=StringIO())


def test_api_export_and_import_carry_the_tests(tests_):
    client = APIClient()
    client.force_login(user_with(*ALL_PERMS))
    document = client.get("/api/v1/export/").json()
    assert [t["name"] for t in document["claim_tests"]] == ["alpha", "zed"]
    ClaimTest.objects.filter(name="zed").delete()
    response = client.post("/api/v1/import/", document, format="json")
    assert response.status_code == 200, response.json()
    assert {"kind": "claim_test", "action": "create", "key": "zed", "fields": []} in (
        response.json()["changes"]
    )
    assert ClaimTest.objects.filter(name="zed").exists()


def test_the_api_shows_and_writes_tests_only_with_their_permissions(tests_):
    client = APIClient()
    client.force_login(user_with(*CLAIM_PERMS, *PROFILE_PERMS))
    document = client.get("/api/v1/export/").json()
    assert "claim_tests" not in document
    with_tests = {
        **document,
        "claim_tests": [
            {"name": "x", "application": "portal", "user": "ada", "expectations": [GOLD]}
        ],
    }
    response = client.post("/api/v1/import/", with_tests, format="json")
    assert response.status_code == 403
    assert "claim test permissions" in response.json()["detail"]
    assert client.post("/api/v1/import/", document, format="json").status_code == 200
