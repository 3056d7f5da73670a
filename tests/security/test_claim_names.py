"""Claim names and values that deceive are refused at save time, with the reason, in every
channel: the model (admin and ORM validation), the REST API and the import."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from oidc_claims.models import ClaimDefinition
from oidc_claims.models.limits import MAX_APPLICATIONS_PER_CLAIM, MAX_SCOPES_PER_CLAIM
from oidc_claims.transfer.format import FORMAT_NAME, FORMAT_VERSION
from oidc_claims.transfer.importer import ImportRejected, import_document
from tests.api_helpers import CLAIM_PERMS
from tests.factories import ApplicationFactory, ClaimDefinitionFactory

pytestmark = pytest.mark.django_db

INVISIBLE = ["s\u200bub", "group\u202es", "first name", "a\tb", "e\u00admail"]
CASE_VARIANTS = ["Sub", "ISS", "Client_Id", "\uff53\uff55\uff42"]  # the last: full-width "sub"
INTROSPECTION_MEMBERS = ["active", "token_type", "username", "Active"]
# (claim fields, words the refusal must contain)
RULES: list[tuple[dict[str, Any], str]] = [
    *(({"name": name}, "invisible") for name in INVISIBLE),
    *(({"name": name}, "only by letter case or character width") for name in CASE_VARIANTS),
    *(
        ({"name": name, "include_in_access_token": True}, "introspection response itself")
        for name in INTROSPECTION_MEMBERS
    ),
    ({"value": 42}, "written as text"),
    ({"scopes": [f"s{n}" for n in range(MAX_SCOPES_PER_CLAIM + 1)]}, "at most 100 scopes"),
]
IDS = [repr(fields)[:40] for fields, _ in RULES]


def entry(**fields: Any) -> dict[str, Any]:
    return {"name": "department", "value": "user.email", **fields}


def many_applications() -> list[str]:
    return [ApplicationFactory().client_id for _ in range(MAX_APPLICATIONS_PER_CLAIM + 1)]


# --- The model ----------------------------------------------------------------------------


@pytest.mark.parametrize(("fields", "reason"), RULES, ids=IDS)
def test_the_model_refuses(fields, reason):
    with pytest.raises(ValidationError) as raised:
        ClaimDefinition(**entry(**fields)).full_clean()
    assert reason in str(raised.value)


def test_the_model_keeps_introspection_names_out_of_the_access_token_only():
    ClaimDefinition(**entry(name="username", include_in_access_token=False)).full_clean()


def test_the_model_refuses_too_many_applications():
    definition = ClaimDefinitionFactory()
    applications = list(
        ApplicationFactory._meta.model.objects.filter(client_id__in=many_applications())
    )
    with pytest.raises(ValidationError, match="at most 100 applications"), transaction.atomic():
        definition.applications.set(applications)
    assert definition.applications.count() == 0


# --- The API ------------------------------------------------------------------------------


# The permissions of the `api` client (tests/conftest.py).
API_PERMISSIONS = CLAIM_PERMS


@pytest.mark.parametrize(("fields", "reason"), RULES, ids=IDS)
def test_the_api_refuses(api, fields, reason):
    response = api.post("/api/v1/claims/", entry(**fields), format="json")
    assert response.status_code == 400, response.json()
    assert reason in str(response.json())
    assert not ClaimDefinition.objects.exists()


def test_the_api_does_not_coerce_a_numeric_value(api):
    response = api.post("/api/v1/claims/", entry(value=42), format="json")
    (message,) = response.json()["value"]
    assert message.startswith("Expected text (a JSON string), found an integer")


def test_the_api_refuses_too_many_applications(api):
    response = api.post(
        "/api/v1/claims/", entry(applications=many_applications()), format="json"
    )
    assert response.status_code == 400
    assert "at most 100 applications" in str(response.json()["applications"])


# --- The import ---------------------------------------------------------------------------


def document(**fields: Any) -> dict[str, Any]:
    return {"format": FORMAT_NAME, "version": FORMAT_VERSION, "claims": [entry(**fields)]}


@pytest.mark.parametrize(("fields", "reason"), RULES, ids=IDS)
def test_the_import_refuses(fields, reason):
    with pytest.raises(ImportRejected) as raised:
        import_document(document(**fields))
    # The file format itself refuses a value that is not a string.
    expected = "expected a string, found an integer" if "value" in fields else reason
    assert expected in " ".join(raised.value.errors)
    assert not ClaimDefinition.objects.exists()


def test_the_import_refuses_too_many_applications():
    with pytest.raises(ImportRejected) as raised:
        import_document(document(applications=many_applications()))
    assert "at most 100 applications" in " ".join(raised.value.errors)
