"""Deeply nested JSON is refused where it enters: the API, the admin, the import commands.

Python's json module, Django's forms and DRF's renderers recurse once per level, so a deep
document would otherwise end in RecursionError: a server error when it arrives, and when it
is stored as profile data, a broken export, admin page and token endpoint afterwards.
"""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from oidc_claims.json_limits import PROFILE_DATA_MAX_DEPTH
from oidc_claims.models import AppProfile, ClaimDefinition
from tests.api_helpers import ALL_PERMS
from tests.factories import ApplicationFactory, AppProfileFactory

pytestmark = pytest.mark.django_db

# Far deeper than any recursion limit; one megabyte, within Django's request-size limit.
ABYSS = 250_000


def nested_object(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


def nested_array(depth: int) -> str:
    return "[" * depth + "]" * depth


# The permissions of the `api` client (tests/conftest.py).
API_PERMISSIONS = ALL_PERMS
# Server errors come back as responses, as a client sees them.
API_RAISE_REQUEST_EXCEPTION = False


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/v1/claims/"),
        ("put", "/api/v1/app-profiles/portal/"),
        ("post", "/api/v1/preview/"),
        ("post", "/api/v1/import/"),
        ("post", "/api/v1/import/okta/"),
    ],
)
@pytest.mark.parametrize("body", [nested_array(ABYSS), nested_object(ABYSS), nested_array(100)])
def test_deeply_nested_request_bodies_are_400(api, method, path, body):
    ApplicationFactory(client_id="portal")
    response = getattr(api, method)(path, body, content_type="application/json")
    assert response.status_code == 400
    assert "nested" in response.json()["detail"]


def test_profile_data_deeper_than_the_limit_is_refused_by_the_api(api):
    ApplicationFactory(client_id="portal")
    too_deep = json.loads(nested_object(PROFILE_DATA_MAX_DEPTH + 1))
    response = api.put("/api/v1/app-profiles/portal/", {"data": too_deep}, format="json")
    assert response.status_code == 400
    assert response.json()["data"] == [
        f"The profile data is nested more than {PROFILE_DATA_MAX_DEPTH} levels deep."
    ]
    assert not AppProfile.objects.exists()

    deep_enough = json.loads(nested_object(PROFILE_DATA_MAX_DEPTH))
    response = api.put("/api/v1/app-profiles/portal/", {"data": deep_enough}, format="json")
    assert response.status_code == 201


def test_profile_data_deeper_than_the_limit_is_refused_by_the_model():
    profile = AppProfileFactory.build(
        application=ApplicationFactory(),
        data=json.loads(nested_object(PROFILE_DATA_MAX_DEPTH + 1)),
    )
    with pytest.raises(ValidationError) as caught:
        profile.full_clean()
    assert "data" in caught.value.message_dict


def test_an_import_document_with_deep_profile_data_is_refused(api):
    ApplicationFactory(client_id="portal")
    document = {
        "format": "oidc_claims.claims",
        "version": 1,
        "claims": [],
        "app_profiles": [
            {
                "client_id": "portal",
                "data": json.loads(nested_object(PROFILE_DATA_MAX_DEPTH + 1)),
            }
        ],
    }
    response = api.post("/api/v1/import/", document, format="json")
    assert response.status_code == 400
    assert any("nested" in error for error in response.json()["errors"])
    assert not AppProfile.objects.exists()


def test_the_admin_profile_field_refuses_json_too_deep_to_parse():
    from oidc_claims.admin.widgets import IndentedJSONField

    with pytest.raises(ValidationError, match="nested"):
        IndentedJSONField().clean(nested_array(ABYSS))


@pytest.mark.parametrize("command", ["import_claims", "import_okta_claims"])
def test_import_commands_refuse_deep_files(tmp_path, command):
    path = tmp_path / "deep.json"
    path.write_text(nested_array(ABYSS))
    with pytest.raises(CommandError, match="nested"):
        call_command(command, str(path))
    assert not ClaimDefinition.objects.exists()
