"""An import holds one transaction and validates every entry against the database (tens of
milliseconds each): the number of entries per import is bounded, so that one request cannot
hold a worker and the claim tables for minutes."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from oidc_claims.models import ClaimDefinition
from oidc_claims.transfer.format import MAX_IMPORT_ENTRIES
from tests.api_helpers import ALL_PERMS

pytestmark = pytest.mark.django_db


# The permissions of the `api` client (tests/conftest.py).
API_PERMISSIONS = ALL_PERMS


def document(count: int) -> dict:
    return {
        "format": "oidc_claims.claims",
        "version": 1,
        "claims": [{"name": f"c{index}", "value": "user.email"} for index in range(count)],
    }


def okta_claims(count: int) -> list[dict]:
    return [
        {
            "name": f"c{index}",
            "status": "ACTIVE",
            "claimType": "RESOURCE",
            "valueType": "EXPRESSION",
            "value": "user.email",
        }
        for index in range(count)
    ]


def test_a_document_with_too_many_claims_is_refused_before_any_work(
    api, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):  # authentication and permissions only
        response = api.post("/api/v1/import/", document(MAX_IMPORT_ENTRIES + 1), format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        f"claims: {MAX_IMPORT_ENTRIES + 1} entries, more than the {MAX_IMPORT_ENTRIES} one "
        "import accepts; split the file."
    ]
    assert not ClaimDefinition.objects.exists()


def test_too_many_okta_claims_are_refused_before_any_work(api, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = api.post(
            "/api/v1/import/okta/", okta_claims(MAX_IMPORT_ENTRIES + 1), format="json"
        )
    assert response.status_code == 200
    report = response.json()
    assert report["created"] == 0
    assert report["skipped"] == [
        {
            "name": "(document)",
            "reason": f"{MAX_IMPORT_ENTRIES + 1} claims, more than the {MAX_IMPORT_ENTRIES} one "
            "import accepts; split the file.",
        }
    ]
    assert not ClaimDefinition.objects.exists()


def test_the_command_refuses_too_many_claims_too(tmp_path):
    path = tmp_path / "claims.json"
    path.write_text(json.dumps(document(MAX_IMPORT_ENTRIES + 1)))
    with pytest.raises(CommandError, match="split the file"):
        call_command("import_claims", str(path))
    assert not ClaimDefinition.objects.exists()
