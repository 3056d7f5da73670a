"""Claim definitions over the API: every operation, the filters, and the model's validation."""

from __future__ import annotations

import pytest

from oidc_claims.models import ClaimDefinition
from tests.api_helpers import CLAIM_PERMS
from tests.factories import ApplicationFactory, ClaimDefinitionFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/claims/"


# The permissions of the `api` client (tests/conftest.py).
API_PERMISSIONS = CLAIM_PERMS


def test_create_returns_the_definition_with_applications_by_client_id(api):
    app = ApplicationFactory(client_id="portal")
    response = api.post(
        URL,
        {
            "name": "department",
            "value": 'String.substringBefore(user.email, "@")',
            "include_in_access_token": True,
            "scopes": ["profile"],
            "applications": ["portal"],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["name"] == "department"
    assert body["applications"] == ["portal"]
    assert body["include_in_id_token"] is True  # the model's default
    definition = ClaimDefinition.objects.get(pk=body["id"])
    assert list(definition.applications.all()) == [app]
    assert definition.scopes == ["profile"]


def test_list_and_retrieve(api):
    first = ClaimDefinitionFactory(name="a_claim")
    ClaimDefinitionFactory(name="b_claim")
    listing = api.get(URL)
    assert listing.status_code == 200
    assert [item["name"] for item in listing.json()] == ["a_claim", "b_claim"]
    detail = api.get(f"{URL}{first.pk}/")
    assert detail.status_code == 200
    assert detail.json()["value"] == first.value


def test_replace_sets_every_field(api):
    definition = ClaimDefinitionFactory(name="old", include_in_access_token=True)
    response = api.put(
        f"{URL}{definition.pk}/",
        {"name": "new", "value": "user.login", "include_in_userinfo": False},
        format="json",
    )
    assert response.status_code == 200, response.json()
    definition.refresh_from_db()
    assert (definition.name, definition.value) == ("new", "user.login")
    # Omitted fields take their defaults on a replace.
    assert definition.include_in_access_token is False
    assert definition.include_in_userinfo is False


def test_partial_update_changes_only_the_given_fields(api):
    definition = ClaimDefinitionFactory(name="keep", value="user.email")
    response = api.patch(f"{URL}{definition.pk}/", {"enabled": False}, format="json")
    assert response.status_code == 200
    definition.refresh_from_db()
    assert (definition.name, definition.value, definition.enabled) == ("keep", "user.email", False)


def test_delete(api):
    definition = ClaimDefinitionFactory()
    assert api.delete(f"{URL}{definition.pk}/").status_code == 204
    assert not ClaimDefinition.objects.filter(pk=definition.pk).exists()


def test_missing_definition_is_404(api):
    assert api.get(f"{URL}999999/").status_code == 404
    assert api.get(f"{URL}99999999999999999999999/").status_code == 404


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("destination=access_token", ["access"]),
        ("destination=id_token", ["both", "disabled", "for_portal", "id_only"]),
        ("enabled=false", ["disabled"]),
        ("enabled=true&destination=access_token", ["access"]),
        ("application=portal", ["access", "both", "disabled", "for_portal", "id_only"]),
        ("application=other", ["access", "both", "disabled", "id_only"]),
    ],
)
def test_filters(api, query, expected):
    portal = ApplicationFactory(client_id="portal")
    ApplicationFactory(client_id="other")
    ClaimDefinitionFactory(name="id_only")
    ClaimDefinitionFactory(
        name="access",
        include_in_id_token=False,
        include_in_userinfo=False,
        include_in_access_token=True,
    )
    ClaimDefinitionFactory(name="both", include_in_access_token=False)
    ClaimDefinitionFactory(name="disabled", enabled=False)
    ClaimDefinitionFactory(name="for_portal", applications=[portal])
    response = api.get(f"{URL}?{query}")
    assert response.status_code == 200
    assert sorted(item["name"] for item in response.json()) == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("destination=token", "destination"),
        ("enabled=maybe", "enabled"),
        ("application=unknown", "application"),
    ],
)
def test_bad_filters_are_400_naming_the_parameter(api, query, field):
    response = api.get(f"{URL}?{query}")
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(
    ("payload", "field", "fragment"),
    [
        ({"name": "sub"}, "name", "registered or protocol claim"),
        ({"name": " padded"}, "name", None),  # trimmed, as the admin's form does
        ({"name": ""}, "name", "blank"),
        ({"value": "user.email +"}, "value", "Line 1, column 13"),
        (
            {"value_type": "groups", "group_filter": "regex", "value": "(unclosed"},
            "value",
            "Invalid regular expression: line 1",
        ),
        ({"value_type": "groups"}, "group_filter", "Choose how groups are matched"),
        ({"group_filter": "equals"}, "group_filter", "no group filter"),
        ({"group_limit": 0}, "group_limit", "greater than or equal to 1"),
        ({"group_limit": 5000}, "group_limit", "less than or equal to 1000"),
        ({"scopes": ["two words"]}, "scopes", "scope names without spaces"),
        ({"scopes": "email"}, "scopes", "list"),
        (
            {"include_in_id_token": False, "include_in_userinfo": False},
            "include_in_id_token",
            "at least one destination",
        ),
        ({"applications": ["nope"]}, "applications", "does not exist"),
        ({"value_type": "python"}, "value_type", "not a valid choice"),
    ],
)
def test_validation_errors_name_the_field_and_the_problem(api, payload, field, fragment):
    body = {"name": "dept", "value": "user.email", **payload}
    response = api.post(URL, body, format="json")
    if fragment is None:
        assert response.status_code == 201
        assert response.json()["name"] == "padded"
        return
    assert response.status_code == 400, response.json()
    messages = response.json()[field]
    assert any(fragment in str(message) for message in messages), messages
    assert not ClaimDefinition.objects.filter(name="dept").exists()


def test_duplicate_name_in_the_same_token_is_refused(api):
    ClaimDefinitionFactory(name="email_alias")
    response = api.post(URL, {"name": "email_alias", "value": "user.login"}, format="json")
    assert response.status_code == 400
    assert "already goes into the ID token" in response.json()["name"][0]
    # The same name for another token is fine.
    response = api.post(
        URL,
        {
            "name": "email_alias",
            "value": "user.login",
            "include_in_id_token": False,
            "include_in_userinfo": False,
            "include_in_access_token": True,
        },
        format="json",
    )
    assert response.status_code == 201


def test_refused_partial_update_leaves_the_definition_unchanged(api):
    definition = ClaimDefinitionFactory(name="stable", value="user.email")
    response = api.patch(f"{URL}{definition.pk}/", {"value": "user.(("}, format="json")
    assert response.status_code == 400
    assert "Invalid expression: Line 1" in response.json()["value"][0]
    definition.refresh_from_db()
    assert definition.value == "user.email"


def test_partial_update_is_validated_with_the_stored_fields(api):
    """Switching to groups without a filter fails although only value_type was sent."""
    definition = ClaimDefinitionFactory()
    response = api.patch(f"{URL}{definition.pk}/", {"value_type": "groups"}, format="json")
    assert response.status_code == 400
    assert "group_filter" in response.json()


def test_malformed_json_and_unstorable_text_are_400(api):
    response = api.post(URL, "{not json", content_type="application/json")
    assert response.status_code == 400
    response = api.post(URL, '{"name": "a\\u0000b", "value": "1"}', content_type="application/json")
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]
    response = api.post(URL, '{"name": "a\\ud800", "value": "1"}', content_type="application/json")
    assert response.status_code == 400
    assert "surrogate" in response.json()["detail"]


def test_form_encoded_bodies_are_refused(api):
    response = api.post(URL, {"name": "dept", "value": "user.email"})  # multipart
    assert response.status_code == 415
