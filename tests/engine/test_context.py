"""ClaimContext: what expressions see of the user, the application and the grant."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.test import override_settings

from oidc_claims.engine.context import ClaimContext
from oidc_claims.engine.user_attributes import to_json_value
from oidc_claims.expressions import ExpressionEvaluationError, compile_expression
from oidc_claims.expressions.environment import GroupInfo
from oidc_claims.models.subjects import UserSubject
from tests.factories import ApplicationFactory, AppProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

JOINED = datetime.datetime(2024, 5, 1, 12, 30, tzinfo=datetime.timezone.utc)


def make_context(user=None, application=None, scopes=("openid", "email"), **kwargs):
    return ClaimContext(
        user=user,
        application=application if application is not None else ApplicationFactory(),
        scopes=scopes,
        grant_type=kwargs.pop("grant_type", "authorization_code"),
        **kwargs,
    )


def evaluate(context: ClaimContext, text: str):
    return compile_expression(text).evaluate(context)


@pytest.fixture
def user():
    return UserFactory(
        username="ada",
        email="ada@example.com",
        first_name="Ada",
        last_name="Lovelace",
        is_staff=True,
        date_joined=JOINED,
        last_login=None,
        groups=["engineering", "admins"],
    )


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("user.login", "ada"),
        ("user.username", "ada"),
        ("user.email", "ada@example.com"),
        ("user.firstName", "Ada"),
        ("user.first_name", "Ada"),
        ("user.lastName", "Lovelace"),
        ("user.last_name", "Lovelace"),
        ("user.displayName", "Ada Lovelace"),
        ("user.fullName", "Ada Lovelace"),
        ("user.full_name", "Ada Lovelace"),
        ("user.isActive", True),
        ("user.is_active", True),
        ("user.isStaff", True),
        ("user.is_staff", True),
        ("user.isSuperuser", False),
        ("user.dateJoined", "2024-05-01T12:30:00+00:00"),
        ("user.lastLogin", None),
        ("user.groups", ["admins", "engineering"]),
    ],
)
def test_user_attributes(user, expression, expected):
    assert evaluate(make_context(user), expression) == expected


def test_user_id_is_the_public_subject_as_in_okta(user):
    subject = evaluate(make_context(user), "user.id")
    assert subject == UserSubject.objects.get(user=user).subject != str(user.pk)


def test_full_name_is_null_without_first_and_last_name():
    nameless = make_context(UserFactory(username="bob", first_name="", last_name=" "))
    assert evaluate(nameless, "user.fullName") is None
    only_last = make_context(UserFactory(username="cy", first_name="", last_name="Young"))
    assert evaluate(only_last, "user.fullName") == "Young"


def test_display_name_falls_back_to_the_username():
    assert (
        evaluate(
            make_context(UserFactory(username="bob", first_name="", last_name="")),
            "user.displayName",
        )
        == "bob"
    )


@pytest.mark.parametrize(
    "attribute",
    [
        "password",
        "_state",
        "check_password",
        "groups_set",
        "pk",
        "save",
        "__class__",
        "user_permissions",
    ],
)
def test_anything_outside_the_allow_list_is_unreadable(user, attribute):
    with pytest.raises(ExpressionEvaluationError):
        make_context(user).variable("user").get_property(attribute)


def test_user_is_null_without_a_user():
    context = make_context(None, grant_type="client_credentials")
    assert context.variable("user") is None
    assert context.groups() == []


def test_unknown_variable_is_an_evaluation_error(user):
    with pytest.raises(ExpressionEvaluationError):
        make_context(user).variable("settings")


@override_settings(
    OIDC_CLAIMS={"USER_ATTRIBUTES": {"mail_domain": "email", "joined": "date_joined"}}
)
def test_configured_user_attributes_are_readable(user):
    context = make_context(user)
    assert evaluate(context, "user.mail_domain") == "ada@example.com"
    assert evaluate(context, "user.joined") == "2024-05-01T12:30:00+00:00"


@override_settings(OIDC_CLAIMS={"USER_ATTRIBUTES": {"first_group": "groups"}})
def test_configured_path_to_a_manager_is_refused(user):
    with pytest.raises(ExpressionEvaluationError, match="method or manager"):
        evaluate(make_context(user), "user.first_group")


@pytest.mark.parametrize(
    ("alias", "path"),
    [
        ("secret", "password"),
        ("state", "_state"),
        ("db", "_state.db"),
        ("checker", "check_password"),
        ("full", "get_full_name"),
        ("hash", "profile.password"),
        ("_private", "email"),
    ],
)
def test_configured_attributes_cannot_reach_secrets_private_names_or_methods(user, alias, path):
    with (
        override_settings(OIDC_CLAIMS={"USER_ATTRIBUTES": {alias: path}}),
        pytest.raises(ExpressionEvaluationError),
    ):
        make_context(user).variable("user").get_property(alias)


@override_settings(OIDC_CLAIMS={"USER_ATTRIBUTES": {"me": "groups.model"}})
def test_configured_path_cannot_return_a_class_or_record(user):
    with pytest.raises(ExpressionEvaluationError):
        make_context(user).variable("user").get_property("me")


def test_configured_path_through_a_missing_relation_reads_null(user):
    # last_login is None for this user: a null link in the path reads null, not an error.
    with override_settings(OIDC_CLAIMS={"USER_ATTRIBUTES": {"login_day": "last_login.day"}}):
        assert make_context(user).variable("user").get_property("login_day") is None


def test_json_conversion():
    assert to_json_value(Decimal("3"), "x") == 3
    assert to_json_value(Decimal("2.5"), "x") == 2.5
    assert to_json_value(datetime.date(2024, 1, 2), "x") == "2024-01-02"
    assert to_json_value({"a": (1, JOINED)}, "x") == {"a": [1, "2024-05-01T12:30:00+00:00"]}
    with pytest.raises(ExpressionEvaluationError):
        to_json_value(Group(name="g"), "x")
    with pytest.raises(ExpressionEvaluationError):
        to_json_value(object(), "x")


def test_app_properties_and_profile():
    application = ApplicationFactory(name="Portal", client_id="portal")
    AppProfileFactory(application=application, data={"label": "Sales", "nested": {"tier": 2}})
    context = make_context(UserFactory(), application)
    assert evaluate(context, "app.id") == application.pk
    assert evaluate(context, "app.clientId") == "portal"
    assert evaluate(context, "app.name") == "Portal"
    assert evaluate(context, "app.profile.label") == "Sales"
    assert evaluate(context, "app.profile.nested.tier") == 2
    with pytest.raises(ExpressionEvaluationError):
        context.variable("app").get_property("client_secret")


def test_app_profile_is_empty_without_a_profile():
    assert make_context(UserFactory()).app_profile_data() == {}


def test_access_properties():
    context = make_context(
        UserFactory(), scopes=["openid", "email", "openid"], grant_type="refresh_token"
    )
    assert evaluate(context, "access.scope") == ["openid", "email"]
    assert evaluate(context, "access.grantType") == "refresh_token"


def test_groups_are_loaded_once_with_one_query(user, django_assert_num_queries):
    context = make_context(user)
    with django_assert_num_queries(1):
        groups = context.groups()
        context.groups()
        evaluate(context, "user.groups")
    assert groups == [GroupInfo(g.pk, g.name) for g in Group.objects.order_by("name")]


def test_prefetched_groups_cost_no_query(user, django_assert_num_queries):
    from django.contrib.auth import get_user_model

    prefetched = get_user_model().objects.prefetch_related("groups").get(pk=user.pk)
    context = make_context(prefetched)
    with django_assert_num_queries(0):
        assert [g.name for g in context.groups()] == ["admins", "engineering"]


def test_profile_is_loaded_once(django_assert_num_queries):
    application = ApplicationFactory()
    AppProfileFactory(application=application, data={"label": "x"})
    fresh = type(application).objects.get(pk=application.pk)
    context = make_context(None, fresh)
    with django_assert_num_queries(1):
        assert context.app_profile_data() == {"label": "x"}
        assert evaluate(context, "app.profile.label") == "x"
        assert context.app_profile().application_id == application.pk


def test_profile_selected_with_the_application_costs_no_query(django_assert_num_queries):
    application = AppProfileFactory(data={"label": "x"}).application
    selected = (
        type(application).objects.select_related("oidc_claims_profile").get(pk=application.pk)
    )
    context = make_context(None, selected)
    with django_assert_num_queries(0):
        assert context.app_profile_data() == {"label": "x"}


def test_missing_profile_is_looked_up_once(django_assert_num_queries):
    context = make_context(None)
    with django_assert_num_queries(1):
        assert context.app_profile() is None
        assert context.app_profile_data() == {}


def test_now_is_fixed_for_the_context():
    context = make_context(None, now=JOINED)
    assert context.now() == JOINED
    other = make_context(None)
    assert other.now() == other.now()
    assert other.now().tzinfo is not None


def test_memoise_computes_once_and_remembers_failures():
    context = make_context(None)
    calls = []

    def compute():
        calls.append(1)
        raise ExpressionEvaluationError("boom")

    for _ in range(2):
        with pytest.raises(ExpressionEvaluationError, match="boom"):
            context.memoise("k", compute)
    assert calls == [1]
    assert context.memoise("v", lambda: 5) == 5
    assert context.memoise("v", lambda: 6) == 5


def test_requested_claims_are_normalised():
    context = make_context(None, requested_claims={"id_token": ["email"], "userinfo": {"name"}})
    assert context.requested_claims == {"id_token": {"email"}, "userinfo": {"name"}}
