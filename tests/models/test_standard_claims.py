"""OpenID Connect's standard claims: seeded as claim definitions, scoped, placed and remapped."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import override_settings

from oidc_claims.engine.context import ClaimContext
from oidc_claims.engine.resolve import Reason, resolve
from oidc_claims.models import ClaimDefinition
from oidc_claims.models.standard_claims import STANDARD_CLAIMS, seed_standard_claims
from tests.factories import ClaimDefinitionFactory, UserFactory

pytestmark = pytest.mark.django_db

PROFILE = {"name", "given_name", "family_name", "preferred_username", "updated_at"}


@pytest.fixture
def ada():
    return UserFactory(username="ada", email="ada@example.com")


def context(user, app, scopes, **kwargs) -> ClaimContext:
    return ClaimContext(user, app, ["openid", *scopes], "authorization_code", **kwargs)


def reasons(resolution) -> dict[str, Reason]:
    return {entry.claim_name: entry.reason for entry in resolution.trace}


# --- Seeding ------------------------------------------------------------------------------


def test_the_seed_creates_the_standard_claims_for_userinfo_by_scope():
    assert seed_standard_claims() == [claim.name for claim in STANDARD_CLAIMS]
    definitions = {d.name: d for d in ClaimDefinition.objects.all()}
    assert {name: d.scopes for name, d in definitions.items()} == {
        **{name: ["profile"] for name in PROFILE},
        "email": ["email"],
        "email_verified": ["email"],
        "address": ["address"],
        "phone_number": ["phone"],
        "phone_number_verified": ["phone"],
    }
    for definition in definitions.values():
        definition.full_clean()
        assert definition.standard and definition.enabled
        assert definition.destinations == ["userinfo"]
        assert definition.id_token_without_access_token
    assert {name: definitions[name].value for name in ("name", "email", "preferred_username")} == {
        "name": "user.fullName",
        "email": "user.email",
        "preferred_username": "user.login",
    }


def test_seeding_again_never_overwrites_an_admins_edits():
    seed_standard_claims()
    ClaimDefinition.objects.filter(name="email_verified").update(value="true")
    ClaimDefinition.objects.filter(name="phone_number").update(enabled=False)
    ClaimDefinition.objects.filter(name="address").delete()
    assert seed_standard_claims() == ["address"]
    assert ClaimDefinition.objects.get(name="email_verified").value == "true"
    assert ClaimDefinition.objects.get(name="phone_number").enabled is False
    assert ClaimDefinition.objects.count() == len(STANDARD_CLAIMS)


def test_a_site_definition_of_the_same_name_is_left_alone():
    ClaimDefinitionFactory(name="email", value="user.login", include_in_access_token=True)
    assert "email" not in seed_standard_claims()
    assert ClaimDefinition.objects.get(name="email").standard is False


@pytest.mark.django_db(transaction=True)
def test_migrate_and_flush_seed_them_unless_the_setting_says_no():
    with override_settings(OIDC_CLAIMS={"SEED_STANDARD_CLAIMS": False}):
        call_command("flush", interactive=False, verbosity=0)
    assert not ClaimDefinition.objects.exists()
    with override_settings(OIDC_CLAIMS={}):
        call_command("migrate", verbosity=0)
    assert ClaimDefinition.objects.filter(standard=True).count() == len(STANDARD_CLAIMS)
    with override_settings(OIDC_CLAIMS={}):
        call_command("flush", interactive=False, verbosity=0)
    assert ClaimDefinition.objects.filter(standard=True).count() == len(STANDARD_CLAIMS)
    with override_settings(OIDC_CLAIMS={"SEED_STANDARD_CLAIMS": False}):
        call_command("flush", interactive=False, verbosity=0)
    assert not ClaimDefinition.objects.exists()


# --- Released by scope, to userinfo ----------------------------------------------------------


@pytest.mark.parametrize(
    ("scopes", "expected"),
    [
        ((), {}),
        (
            ("profile",),
            {
                "name": "Ada Lovelace",
                "given_name": "Ada",
                "family_name": "Lovelace",
                "preferred_username": "ada",
            },
        ),
        (("email",), {"email": "ada@example.com"}),
        (("address",), {}),
        (("phone",), {}),
    ],
)
def test_each_scope_releases_its_claims_the_user_has_data_for(
    standard_claims, ada, app, scopes, expected
):
    assert resolve(context(ada, app, scopes), "userinfo").claims == expected


def test_claims_without_data_are_omitted_and_the_trace_says_why(standard_claims, app):
    nameless = UserFactory(username="nameless", first_name="", last_name=" ", email="")
    resolution = resolve(context(nameless, app, ["profile", "email", "phone"]), "userinfo")
    assert resolution.claims == {"preferred_username": "nameless"}
    assert reasons(resolution) == {
        "name": Reason.NULL_VALUE,
        "given_name": Reason.EMPTY_VALUE,
        "family_name": Reason.EMPTY_VALUE,
        "preferred_username": Reason.INCLUDED,
        "updated_at": Reason.NULL_VALUE,
        "email": Reason.EMPTY_VALUE,
        "email_verified": Reason.NULL_VALUE,
        "address": Reason.SCOPE_NOT_GRANTED,
        "phone_number": Reason.NULL_VALUE,
        "phone_number_verified": Reason.NULL_VALUE,
    }


# --- ID token: only without an access token, or when asked for ----------------------------


def test_the_id_token_carries_them_only_without_an_access_token(standard_claims, ada, app):
    with_access_token = resolve(context(ada, app, ["email"]), "id_token")
    assert with_access_token.claims == {}
    assert reasons(with_access_token)["email"] is Reason.NOT_FOR_DESTINATION
    without = resolve(context(ada, app, ["email"], issues_access_token=False), "id_token")
    assert without.claims == {"email": "ada@example.com"}
    assert reasons(without)["email"] is Reason.WITHOUT_ACCESS_TOKEN
    assert reasons(without)["name"] is Reason.SCOPE_NOT_GRANTED
    # Never the access token.
    assert resolve(context(ada, app, ["email"]), "access_token").claims == {}


def test_the_claims_parameter_brings_one_into_the_id_token(standard_claims, ada, app):
    requested = context(ada, app, ["email"], requested_claims={"id_token": ["email"]})
    resolution = resolve(requested, "id_token")
    assert resolution.claims == {"email": "ada@example.com"}
    assert reasons(resolution)["email"] is Reason.REQUESTED


# --- Remapped by the site -------------------------------------------------------------------


def test_a_site_remaps_a_standard_claim_to_its_own_data(standard_claims, ada, app):
    ClaimDefinition.objects.filter(name="email_verified").update(value="user.emailVerified")
    ClaimDefinition.objects.filter(name="name").update(value="user.displayName")
    with override_settings(OIDC_CLAIMS={"USER_ATTRIBUTES": {"emailVerified": "is_active"}}):
        claims = resolve(context(ada, app, ["profile", "email"]), "userinfo").claims
    assert claims["email_verified"] is True
    assert claims["name"] == "Ada Lovelace"


def test_empty_values_are_kept_in_claims_that_are_not_standard(ada, app):
    ClaimDefinitionFactory(name="nickname", value='""', include_in_userinfo=True)
    assert resolve(context(ada, app, []), "userinfo").claims == {"nickname": ""}
