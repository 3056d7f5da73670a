"""ClaimDefinition and AppProfile validation through full_clean(), rule by rule."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from oidc_claims.models import GROUP_LIMIT_MAX, AppProfile, ClaimDefinition
from oidc_claims.models.claim_names import RESERVED_CLAIM_NAMES
from tests.factories import ApplicationFactory, AppProfileFactory, ClaimDefinitionFactory

pytestmark = pytest.mark.django_db


def build(**fields) -> ClaimDefinition:
    return ClaimDefinitionFactory.build(**fields)


def errors_of(instance) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as info:
        instance.full_clean()
    return info.value.message_dict


def codes_of(instance) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as info:
        instance.full_clean()
    return {field: [e.code for e in errors] for field, errors in info.value.error_dict.items()}


def test_valid_expression_claim_passes():
    build(name="email", value="user.email").full_clean()


def test_valid_groups_claim_passes():
    build(name="groups", value_type="groups", group_filter="starts_with", value="eng").full_clean()


@pytest.mark.parametrize("name", sorted(RESERVED_CLAIM_NAMES))
def test_reserved_names_are_rejected(name):
    assert codes_of(build(name=name)) == {"name": ["reserved_name"]}


def test_reserved_name_is_rejected_whatever_the_destination():
    claim = build(
        name="sub",
        include_in_id_token=False,
        include_in_userinfo=False,
        include_in_access_token=True,
    )
    assert "reserved" in errors_of(claim)["name"][0].lower()


@pytest.mark.parametrize(
    "name", ["email", "name", "groups", "email_verified", "roles", "d\u00e9partement"]
)
def test_standard_and_custom_names_are_allowed_in_every_token(name):
    build(
        name=name,
        include_in_id_token=True,
        include_in_access_token=True,
        include_in_userinfo=True,
    ).full_clean()


@pytest.mark.parametrize("name", [" email", "email ", "\temail", "email\n"])
def test_surrounding_whitespace_is_rejected(name):
    assert codes_of(build(name=name)) == {"name": ["name_whitespace"]}


@pytest.mark.parametrize("name", ["", "   "])
def test_empty_name_is_rejected(name):
    assert "name" in errors_of(build(name=name))


def test_name_longer_than_255_is_rejected():
    assert "name" in errors_of(build(name="x" * 256))


@pytest.mark.parametrize(
    "destination", ["include_in_id_token", "include_in_access_token", "include_in_userinfo"]
)
def test_duplicate_enabled_name_in_the_same_token_is_rejected(destination):
    only = {
        "include_in_id_token": False,
        "include_in_access_token": False,
        "include_in_userinfo": False,
    }
    ClaimDefinitionFactory(name="department", **{**only, destination: True})
    duplicate = build(name="department", **{**only, destination: True})
    errors = errors_of(duplicate)
    assert list(errors) == ["name"]
    assert "department" in errors["name"][0]


def test_same_name_in_different_tokens_is_allowed():
    ClaimDefinitionFactory(name="groups", include_in_id_token=True, include_in_userinfo=False)
    build(
        name="groups",
        include_in_id_token=False,
        include_in_userinfo=False,
        include_in_access_token=True,
    ).full_clean()


def test_same_name_is_allowed_when_one_of_them_is_disabled():
    ClaimDefinitionFactory(name="department", enabled=False)
    build(name="department").full_clean()
    ClaimDefinitionFactory(name="team")
    build(name="team", enabled=False).full_clean()


def test_editing_a_definition_does_not_clash_with_itself():
    claim = ClaimDefinitionFactory(name="department")
    claim.description = "changed"
    claim.full_clean()


def test_bad_expression_reports_line_column_expected_and_found():
    claim = build(name="nickname", value='String.toUpperCase(user.login\n  "x")')
    message = errors_of(claim)["value"][0]
    assert "Line 2, column 3" in message
    assert "expected" in message
    assert "found" in message


def test_bad_regex_reports_line_and_column():
    claim = build(name="groups", value_type="groups", group_filter="regex", value="eng(")
    errors = codes_of(claim)
    assert errors == {"value": ["invalid_regex"]}
    message = errors_of(claim)["value"][0]
    assert "line 1, column" in message


def test_regex_with_backtracking_only_syntax_is_rejected():
    claim = build(name="groups", value_type="groups", group_filter="regex", value=r"(a)\1")
    assert codes_of(claim) == {"value": ["invalid_regex"]}


def test_regex_is_only_compiled_for_the_regex_filter():
    build(name="groups", value_type="groups", group_filter="starts_with", value="eng(").full_clean()


def test_groups_claim_needs_a_group_filter():
    claim = build(name="groups", value_type="groups", group_filter="", value="eng")
    assert codes_of(claim) == {"group_filter": ["group_filter_required"]}


def test_expression_claim_has_no_group_filter():
    claim = build(name="email", value_type="expression", group_filter="equals", value="user.email")
    assert codes_of(claim) == {"group_filter": ["group_filter_not_allowed"]}


def test_empty_value_is_rejected():
    assert "value" in errors_of(build(value=""))
    assert codes_of(build(value="  ")) == {"value": ["blank_value"]}


def test_a_claim_must_go_somewhere():
    claim = build(
        include_in_id_token=False, include_in_access_token=False, include_in_userinfo=False
    )
    assert codes_of(claim) == {"include_in_id_token": ["no_destination"]}


@pytest.mark.parametrize("scopes", [["email", "api.read", "https://x.example/scope"], []])
def test_valid_scopes(scopes):
    build(scopes=scopes).full_clean()


@pytest.mark.parametrize(
    "scopes", ["email", ["email profile"], [1], ["back\\slash"], ['quo"te'], [""], {"a": 1}]
)
def test_invalid_scopes_are_rejected(scopes):
    assert codes_of(build(scopes=scopes)) == {"scopes": ["invalid_scopes"]}


@pytest.mark.parametrize("limit", [0, GROUP_LIMIT_MAX + 1])
def test_group_limit_out_of_range_is_rejected(limit):
    claim = build(
        name="groups", value_type="groups", group_filter="equals", value="a", group_limit=limit
    )
    assert "group_limit" in errors_of(claim)


def test_group_limit_defaults_to_the_setting():
    assert ClaimDefinition().group_limit == 100
    with override_settings(OIDC_CLAIMS={"DEFAULT_GROUP_LIMIT": 7}):
        assert ClaimDefinition().group_limit == 7


def test_applications_may_be_selected():
    app = ApplicationFactory()
    claim = ClaimDefinitionFactory(applications=[app])
    assert list(claim.applications.all()) == [app]
    assert list(app.oidc_claim_definitions.all()) == [claim]


def test_destinations_property_and_ordering():
    ClaimDefinitionFactory(name="b", include_in_access_token=True)
    ClaimDefinitionFactory(name="a", include_in_userinfo=False)
    assert [c.name for c in ClaimDefinition.objects.all()] == ["a", "b"]
    assert ClaimDefinition.objects.get(name="b").destinations == [
        "id_token",
        "access_token",
        "userinfo",
    ]
    assert ClaimDefinition.objects.get(name="a").destinations == ["id_token"]


def test_preview_permission_exists():
    from django.contrib.auth.models import Permission

    assert Permission.objects.filter(
        content_type__app_label="oidc_claims", codename="preview_token"
    ).exists()


# --- AppProfile ---------------------------------------------------------------------------


def test_profile_is_reachable_from_the_application():
    profile = AppProfileFactory(data={"label": "Sales"})
    assert profile.application.oidc_claims_profile == profile


@pytest.mark.parametrize("data", [[], "text", 3, None])
def test_profile_data_must_be_an_object(data):
    profile = AppProfile(application=ApplicationFactory(), data=data)
    with pytest.raises(ValidationError) as info:
        profile.full_clean()
    assert "data" in info.value.message_dict


@pytest.mark.parametrize("allow_list", ["staff", [1, 2], {"staff": True}])
def test_profile_groups_allow_list_must_be_a_list_of_names(allow_list):
    profile = AppProfile(application=ApplicationFactory(), data={"groups_allow_list": allow_list})
    with pytest.raises(ValidationError) as info:
        profile.full_clean()
    assert "groups_allow_list" in info.value.message_dict["data"][0]


def test_valid_profile_passes():
    AppProfile(
        application=ApplicationFactory(),
        data={"label": "Sales", "groups_allow_list": ["staff"], "nested": {"a": [1]}},
        access_token_audience="https://api.example.com urn:reports",
    ).full_clean()


def test_profile_is_deleted_with_its_application():
    profile = AppProfileFactory()
    profile.application.delete()
    assert not AppProfile.objects.filter(pk=profile.pk).exists()
