"""resolve(): which claims go into each destination, with what value, and the trace of why."""

from __future__ import annotations

import logging

import pytest

from oidc_claims.engine.context import ClaimContext
from oidc_claims.engine.exceptions import GroupLimitExceeded
from oidc_claims.engine.resolve import Destination, Reason, Resolution, TraceEntry, resolve
from oidc_claims.expressions import compile_expression
from tests.factories import (
    ApplicationFactory,
    AppProfileFactory,
    ClaimDefinitionFactory,
)

pytestmark = pytest.mark.django_db


# The groups of the `user` fixture, ada (tests/conftest.py).
USER_GROUPS = ["eng-backend", "eng-frontend", "Engineering", "sales", "admins"]


def context_for(user, app, scopes=("openid",), **kwargs) -> ClaimContext:
    return ClaimContext(
        user=user,
        application=app,
        scopes=scopes,
        grant_type=kwargs.pop("grant_type", "authorization_code"),
        **kwargs,
    )


def entry_for(resolution: Resolution, name: str) -> TraceEntry:
    (entry,) = [e for e in resolution.trace if e.claim_name == name]
    return entry


# --- Destinations and reasons -------------------------------------------------------------


def test_included_claim_has_its_value_and_trace(user, app):
    claim = ClaimDefinitionFactory(name="email", value="user.email")
    resolution = resolve(context_for(user, app), "id_token")
    assert resolution.claims == {"email": "ada@example.com"}
    assert resolution.trace == [
        TraceEntry(
            definition_id=claim.pk,
            claim_name="email",
            destination=Destination.ID_TOKEN,
            included=True,
            reason=Reason.INCLUDED,
            value="ada@example.com",
            error=None,
        )
    ]


def test_one_definition_serves_every_destination_it_names(user, app):
    ClaimDefinitionFactory(
        name="login",
        value="user.login",
        include_in_id_token=True,
        include_in_access_token=True,
        include_in_userinfo=False,
    )
    context = context_for(user, app)
    assert resolve(context, Destination.ID_TOKEN).claims == {"login": "ada"}
    assert resolve(context, Destination.ACCESS_TOKEN).claims == {"login": "ada"}
    userinfo = resolve(context, Destination.USERINFO)
    assert userinfo.claims == {}
    assert entry_for(userinfo, "login").reason is Reason.NOT_FOR_DESTINATION


def test_claims_are_in_definition_name_order(user, app):
    for name in ["zeta", "alpha", "mid"]:
        ClaimDefinitionFactory(name=name, value=f'"{name}"')
    resolution = resolve(context_for(user, app), "id_token")
    assert list(resolution.claims) == ["alpha", "mid", "zeta"]
    assert [e.claim_name for e in resolution.trace] == ["alpha", "mid", "zeta"]


def test_disabled(user, app):
    ClaimDefinitionFactory(name="email", enabled=False)
    resolution = resolve(context_for(user, app), "id_token")
    assert resolution.claims == {}
    entry = entry_for(resolution, "email")
    assert (entry.included, entry.reason) == (False, Reason.DISABLED)


def test_scope_not_granted_and_granted(user, app):
    ClaimDefinitionFactory(name="email", scopes=["email", "profile"])
    without = resolve(context_for(user, app, scopes=["openid"]), "id_token")
    assert entry_for(without, "email").reason is Reason.SCOPE_NOT_GRANTED
    assert without.claims == {}
    # Any one of the listed scopes releases the claim.
    with_profile = resolve(context_for(user, app, scopes=["openid", "profile"]), "id_token")
    assert with_profile.claims == {"email": "ada@example.com"}


def test_empty_scopes_release_the_claim_with_any_scope(user, app):
    ClaimDefinitionFactory(name="email", scopes=[])
    assert resolve(context_for(user, app, scopes=[]), "id_token").claims == {
        "email": "ada@example.com"
    }


def test_application_not_selected_and_selected(user, app):
    other = ApplicationFactory()
    ClaimDefinitionFactory(name="email", applications=[other])
    resolution = resolve(context_for(user, app), "id_token")
    assert entry_for(resolution, "email").reason is Reason.APPLICATION_NOT_SELECTED
    assert resolve(context_for(user, other), "id_token").claims == {"email": "ada@example.com"}


def test_null_value_omits_the_claim(user, app):
    ClaimDefinitionFactory(name="last_seen", value="user.lastLogin")
    resolution = resolve(context_for(user, app), "id_token")
    assert resolution.claims == {}
    entry = entry_for(resolution, "last_seen")
    assert (entry.included, entry.reason, entry.value) == (False, Reason.NULL_VALUE, None)


def test_evaluation_error_is_traced_and_logged_not_raised(user, app, caplog):
    ClaimDefinitionFactory(name="broken", value="user.shoeSize")
    ClaimDefinitionFactory(name="email", value="user.email")
    with caplog.at_level(logging.WARNING, logger="oidc_claims.engine.resolve"):
        resolution = resolve(context_for(user, app), "id_token")
    assert resolution.claims == {"email": "ada@example.com"}
    entry = entry_for(resolution, "broken")
    assert entry.reason is Reason.EVALUATION_ERROR
    assert "shoeSize" in entry.error
    (record,) = [r for r in caplog.records if r.name == "oidc_claims.engine.resolve"]
    assert "broken" in record.getMessage()
    assert "shoeSize" in record.getMessage()


def test_failure_is_logged_once_per_request(user, app, caplog):
    ClaimDefinitionFactory(name="broken", value="user.shoeSize", include_in_access_token=True)
    context = context_for(user, app)
    with caplog.at_level(logging.WARNING, logger="oidc_claims.engine.resolve"):
        for destination in Destination:
            resolve(context, destination)
    assert len([r for r in caplog.records if r.name == "oidc_claims.engine.resolve"]) == 1


def test_unexpected_exception_is_an_evaluation_error(user, app, monkeypatch, caplog):
    from oidc_claims.engine import user_attributes

    def broken(*args):
        raise RuntimeError("database went away")

    monkeypatch.setitem(user_attributes.BUILTIN_ATTRIBUTES, "email", broken)
    monkeypatch.setattr(ClaimContext, "_load_groups", broken)
    ClaimDefinitionFactory(name="email", value="user.email")
    ClaimDefinitionFactory(name="groups", groups_claim=True, value="eng")
    ClaimDefinitionFactory(name="login", value="user.login")
    with caplog.at_level(logging.WARNING, logger="oidc_claims.engine.resolve"):
        resolution = resolve(context_for(user, app), "id_token")
    assert resolution.claims == {"login": "ada"}
    for name in ("email", "groups"):
        entry = entry_for(resolution, name)
        assert entry.reason is Reason.EVALUATION_ERROR
        assert "RuntimeError: database went away" in entry.error
    # Not an expression error: the log keeps the traceback.
    (groups_record,) = [r for r in caplog.records if "'groups'" in r.getMessage()]
    assert groups_record.exc_info is not None


def test_row_saved_around_validation_is_an_evaluation_error(user, app):
    ClaimDefinitionFactory(name="bad", value="String.toUpperCase(")  # save() skips clean()
    ClaimDefinitionFactory(name="bad_regex", groups_claim=True, group_filter="regex", value="(")
    ClaimDefinitionFactory(name="email")
    resolution = resolve(context_for(user, app), "id_token")
    assert resolution.claims == {"email": "ada@example.com"}
    assert entry_for(resolution, "bad").reason is Reason.EVALUATION_ERROR
    assert "does not compile" in entry_for(resolution, "bad").error
    assert entry_for(resolution, "bad_regex").reason is Reason.EVALUATION_ERROR


def test_client_credentials_has_no_user(app):
    ClaimDefinitionFactory(name="email", value="user.email", include_in_access_token=True)
    ClaimDefinitionFactory(name="client", value="app.clientId", include_in_access_token=True)
    ClaimDefinitionFactory(
        name="groups", groups_claim=True, value="eng", include_in_access_token=True
    )
    context = context_for(None, app, grant_type="client_credentials")
    resolution = resolve(context, "access_token")
    assert resolution.claims == {"client": "portal"}
    assert entry_for(resolution, "email").reason is Reason.NO_USER
    assert entry_for(resolution, "groups").reason is Reason.NO_USER


@pytest.mark.parametrize(
    "value",
    [
        'user.isMemberOfGroupName("sales") ? "sales" : "other"',
        'isMemberOfGroupNameStartsWith("eng") ? "engineering" : "business"',
        'getFilteredGroups({"1"}, "group.name", 10)',
        'Groups.startsWith("OKTA", "eng", 10)',
        'user.firstName + " " + user.lastName',
        "user == null ? app.clientId : user.login",
    ],
)
def test_a_value_that_reads_the_user_is_omitted_without_one(app, value):
    ClaimDefinitionFactory(name="about_user", value=value, include_in_access_token=True)
    ClaimDefinitionFactory(name="about_app", value="app.name + access.grantType")
    context = context_for(None, app, grant_type="client_credentials")
    resolution = resolve(context, "access_token")
    entry = entry_for(resolution, "about_user")
    assert (entry.included, entry.reason, entry.value) == (False, Reason.NO_USER, None)
    assert "about_user" not in resolution.claims


def test_no_user_is_decided_without_evaluating(app):
    ClaimDefinitionFactory(name="groups", groups_claim=True, value="eng")
    ClaimDefinitionFactory(name="team", value='isMemberOfGroupName("eng") ? "eng" : "other"')
    context = context_for(None, app, grant_type="client_credentials")
    context.groups = None  # calling it would fail: nothing may ask for groups
    resolution = resolve(context, "id_token")
    assert [entry.reason for entry in resolution.trace] == [Reason.NO_USER, Reason.NO_USER]


def test_the_compiler_knows_whether_a_value_reads_the_user():
    reads = {
        text: compile_expression(text).reads_user
        for text in (
            "user.email",
            'isMemberOfAnyGroup("1")',
            'String.toUpperCase(user.login)',
            "app.profile.label",
            'Arrays.contains(access.scope, "email")',
            '"constant"',
        )
    }
    assert reads == {
        "user.email": True,
        'isMemberOfAnyGroup("1")': True,
        'String.toUpperCase(user.login)': True,
        "app.profile.label": False,
        'Arrays.contains(access.scope, "email")': False,
        '"constant"': False,
    }


def test_expression_reads_app_profile_and_access(user, app):
    AppProfileFactory(application=app, data={"label": "Sales"})
    ClaimDefinitionFactory(name="label", value="app.profile.label")
    ClaimDefinitionFactory(name="can_email", value='Arrays.contains(access.scope, "email")')
    ClaimDefinitionFactory(
        name="team", value='user.isMemberOfGroupName("sales") ? "sales" : "other"'
    )
    resolution = resolve(context_for(user, app, scopes=["openid", "email"]), "id_token")
    assert resolution.claims == {"can_email": True, "label": "Sales", "team": "sales"}


def test_unknown_destination_is_refused(user, app):
    with pytest.raises(ValueError):
        resolve(context_for(user, app), "logout_token")


# --- The OIDC claims request parameter ----------------------------------------------------


def test_requested_identity_claim_is_added_to_the_requested_destination(user, app):
    ClaimDefinitionFactory(name="email", include_in_id_token=False, include_in_userinfo=True)
    context = context_for(user, app, requested_claims={"id_token": {"email"}})
    resolution = resolve(context, "id_token")
    assert resolution.claims == {"email": "ada@example.com"}
    entry = entry_for(resolution, "email")
    assert (entry.included, entry.reason) == (True, Reason.REQUESTED)
    assert entry_for(resolve(context, "userinfo"), "email").reason is Reason.INCLUDED


def test_requested_claim_still_needs_its_scope_and_application(user, app):
    ClaimDefinitionFactory(name="email", include_in_id_token=False, scopes=["email"])
    ClaimDefinitionFactory(
        name="phone", value='"555"', include_in_id_token=False, applications=[ApplicationFactory()]
    )
    context = context_for(user, app, requested_claims={"id_token": {"email", "phone"}})
    resolution = resolve(context, "id_token")
    assert resolution.claims == {}
    assert entry_for(resolution, "email").reason is Reason.SCOPE_NOT_GRANTED
    assert entry_for(resolution, "phone").reason is Reason.APPLICATION_NOT_SELECTED


def test_access_token_only_claims_cannot_be_requested_into_identity_tokens(user, app):
    ClaimDefinitionFactory(
        name="roles",
        value='"admin"',
        include_in_id_token=False,
        include_in_userinfo=False,
        include_in_access_token=True,
    )
    context = context_for(
        user, app, requested_claims={"id_token": {"roles"}, "access_token": {"roles"}}
    )
    assert entry_for(resolve(context, "id_token"), "roles").reason is Reason.NOT_FOR_DESTINATION


def test_the_claims_parameter_does_not_reach_the_access_token(user, app):
    ClaimDefinitionFactory(name="email", include_in_access_token=False)
    context = context_for(user, app, requested_claims={"access_token": {"email"}})
    assert resolve(context, "access_token").claims == {}


def test_configured_definition_wins_over_a_requested_one_of_the_same_name(user, app):
    ClaimDefinitionFactory(
        name="email", value='"configured"', include_in_id_token=True, include_in_userinfo=False
    )
    ClaimDefinitionFactory(
        name="email", value='"requested"', include_in_id_token=False, include_in_userinfo=True
    )
    context = context_for(user, app, requested_claims={"id_token": {"email"}})
    assert resolve(context, "id_token").claims == {"email": "configured"}


# --- Groups claims ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("group_filter", "value", "expected"),
    [
        ("starts_with", "ENG", ["Engineering", "eng-backend", "eng-frontend"]),
        ("equals", "SALES", ["sales"]),
        ("contains", "END", ["eng-backend", "eng-frontend"]),
        ("regex", "eng-.*", ["eng-backend", "eng-frontend"]),
        ("regex", "ENG.*", []),  # case-sensitive, whole name
        ("regex", "eng", []),  # the whole name must match
    ],
)
def test_group_filters(user, app, group_filter, value, expected):
    ClaimDefinitionFactory(name="groups", groups_claim=True, group_filter=group_filter, value=value)
    resolution = resolve(context_for(user, app), "id_token")
    assert resolution.claims == {"groups": expected}


def test_groups_per_app_allow_list(user, app):
    AppProfileFactory(application=app, data={"groups_allow_list": ["eng-backend", "sales"]})
    ClaimDefinitionFactory(name="groups", groups_claim=True, value="eng")
    assert resolve(context_for(user, app), "id_token").claims == {"groups": ["eng-backend"]}
    # Other applications are not limited by this app's allow list.
    other = resolve(context_for(user, ApplicationFactory()), "id_token")
    assert other.claims == {"groups": ["Engineering", "eng-backend", "eng-frontend"]}


def test_group_limit_exceeded_is_reported_never_truncated(user, app):
    ClaimDefinitionFactory(name="groups", groups_claim=True, value="eng", group_limit=2)
    ClaimDefinitionFactory(name="email")
    resolution = resolve(context_for(user, app), "id_token")
    assert resolution.claims == {"email": "ada@example.com"}
    entry = entry_for(resolution, "groups")
    assert (entry.included, entry.reason) == (False, Reason.GROUP_LIMIT_EXCEEDED)
    (error,) = resolution.group_limit_errors
    assert (error.claim_name, error.limit, error.count) == ("groups", 2, 3)
    with pytest.raises(GroupLimitExceeded, match=r"'groups'.*limit of 2"):
        resolution.raise_for_group_limits()


def test_group_limit_at_the_limit_is_fine(user, app):
    ClaimDefinitionFactory(name="groups", groups_claim=True, value="eng", group_limit=3)
    resolution = resolve(context_for(user, app), "id_token")
    assert len(resolution.claims["groups"]) == 3
    resolution.raise_for_group_limits()  # nothing to raise


def test_group_function_over_its_limit_is_a_group_limit_error(user, app):
    ClaimDefinitionFactory(name="eng", value='Groups.startsWith("OKTA", "eng", 1)')
    resolution = resolve(context_for(user, app), "id_token")
    assert entry_for(resolution, "eng").reason is Reason.GROUP_LIMIT_EXCEEDED
    assert resolution.group_limit_errors[0].claim_name == "eng"


def test_no_matching_group_gives_an_empty_list(user, app):
    ClaimDefinitionFactory(name="groups", groups_claim=True, value="finance")
    assert resolve(context_for(user, app), "id_token").claims == {"groups": []}


# --- Cost ---------------------------------------------------------------------------------


def make_definitions(count: int, app) -> None:
    AppProfileFactory(application=app, data={"label": "L"})
    for index in range(count):
        if index % 2:
            ClaimDefinitionFactory(
                name=f"c{index:03}",
                value="app.profile.label + user.login + Arrays.size(user.groups)",
                include_in_access_token=True,
                scopes=["openid"],
                applications=[app],
            )
        else:
            ClaimDefinitionFactory(
                name=f"c{index:03}", groups_claim=True, value="eng", include_in_access_token=True
            )


@pytest.mark.parametrize("count", [1, 50])
def test_query_count_does_not_grow_with_definitions(count, user, app, django_assert_num_queries):
    from django.contrib.auth import get_user_model
    from oauth2_provider.models import get_application_model

    make_definitions(count, app)
    fresh_user = get_user_model().objects.get(pk=user.pk)
    fresh_app = get_application_model().objects.get(pk=app.pk)
    context = context_for(fresh_user, fresh_app)
    # The version (one primary-key query: the database is the authority; a shared cache
    # spares it, see test_config_version), definitions + their applications (new version),
    # groups, profile: whatever the count.
    with django_assert_num_queries(5):
        resolution = resolve(context, "id_token")
    assert len(resolution.claims) == count
    # The other tokens of the same request load nothing and evaluate nothing again.
    with django_assert_num_queries(0):
        assert resolve(context, "access_token").claims == resolution.claims
        resolve(context, "userinfo")
    # The next request reuses the compiled definitions: the version, groups and profile.
    with django_assert_num_queries(3):
        resolve(context_for(fresh_user, fresh_app), "id_token")
