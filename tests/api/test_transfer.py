"""Export and import of the claim configuration over the API."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from oidc_claims.models import ClaimDefinition
from tests.api_helpers import ALL_PERMS
from tests.factories import ApplicationFactory, AppProfileFactory, ClaimDefinitionFactory

pytestmark = pytest.mark.django_db


# The permissions of the `api` client (tests/conftest.py).
API_PERMISSIONS = ALL_PERMS


def test_export_matches_the_command(api):
    AppProfileFactory(application=ApplicationFactory(client_id="portal"), data={"a": 1})
    ClaimDefinitionFactory(name="dept")
    out = StringIO()
    call_command("export_claims", stdout=out)
    assert api.get("/api/v1/export/").json() == json.loads(out.getvalue())


def test_import_applies_reports_and_is_idempotent(api):
    ClaimDefinitionFactory(name="dept")
    document = api.get("/api/v1/export/").json()
    document["claims"].append({"name": "extra", "value": '"x"'})
    dry = api.post("/api/v1/import/?dry_run=true", document, format="json")
    assert dry.status_code == 200
    assert (dry.json()["created"], dry.json()["unchanged"]) == (1, 1)
    assert not ClaimDefinition.objects.filter(name="extra").exists()

    applied = api.post("/api/v1/import/", document, format="json")
    assert applied.json()["created"] == 1
    assert ClaimDefinition.objects.filter(name="extra").exists()
    again = api.post("/api/v1/import/", document, format="json")
    assert (again.json()["created"], again.json()["unchanged"]) == (0, 2)


def test_an_invalid_import_is_400_listing_every_error_and_changes_nothing(api):
    document = {
        "format": "oidc_claims.claims",
        "version": 1,
        "claims": [
            {"name": "fine", "value": '"ok"'},
            {"name": "iss", "value": '"x"'},
            {"name": "broken", "value": "(("},
        ],
    }
    response = api.post("/api/v1/import/", document, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert len(errors) == 2
    assert errors[0].startswith("claims[1] 'iss'")
    assert "Line 1" in errors[1]
    assert not ClaimDefinition.objects.exists()


def test_bad_dry_run_value_is_400(api):
    response = api.post("/api/v1/import/?dry_run=perhaps", {}, format="json")
    assert response.status_code == 400
    assert "dry_run" in response.json()
