"""impact_of(): whose tokens a change alters, and how, with nothing kept."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from oidc_claims.engine.config_version import current_version
from oidc_claims.models import AppProfile, ClaimDefinition
from oidc_claims.models.revisions import Revision
from oidc_claims.preview.impact import CLIENT_LABEL, impact_of
from tests.factories import (
    ApplicationFactory,
    AppProfileFactory,
    ClaimDefinitionFactory,
    UserFactory,
)
from tests.signing_support import active_key

pytestmark = pytest.mark.django_db

TEAM = 'user.isMemberOfGroupName("eng") ? "eng" : null'


@pytest.fixture
def http_request():
    return RequestFactory().get("/", HTTP_HOST="idp.example.com")


@pytest.fixture
def apps():
    portal = ApplicationFactory(client_id="portal", name="Portal")
    billing = ApplicationFactory(client_id="billing", name="Billing")
    AppProfileFactory(application=portal, data={"label": "Staff portal"})
    return portal, billing


@pytest.fixture
def users():
    ada = UserFactory(username="ada", groups=["eng"])
    bob = UserFactory(username="bob", groups=["sales"])
    cat = UserFactory(username="cat", groups=["eng"])
    UserFactory(username="gone", groups=["eng"], is_active=False)
    return ada, bob, cat


def destination(app_report, name):
    return next(d for d in app_report["destinations"] if d["destination"] == name)


def application(report, client_id):
    return next(a for a in report["applications"] if a["client_id"] == client_id)


def impact(http_request, apply, **kwargs):
    return impact_of(apply, request=http_request, **kwargs).as_dict()


def test_a_claim_for_one_group_changes_those_users_tokens_only(http_request, apps, users):
    report = impact(http_request, lambda: ClaimDefinitionFactory(name="team", value=TEAM))

    assert report["changes"] == [
        {"kind": "claim", "action": "created", "key": "team", "fields": []}
    ]
    # Inactive users are not compared; the claim is for every application.
    assert report["users"] == {"total": 3, "compared": 3, "sample": False, "max_users": 200}
    assert report["partial"] is False
    summary = {row["destination"]: row for row in report["summary"]}
    assert summary["id_token"] == {
        "destination": "id_token",
        "users": 3,
        "changed_users": 2,
        "changed_applications": 2,
    }
    assert summary["access_token"]["changed_users"] == 0
    assert summary["userinfo"]["changed_users"] == 2
    portal = application(report, "portal")
    assert portal["inputs"] == {"grant_type": "authorization_code", "scopes": ["openid"]}
    id_token = destination(portal, "id_token")
    assert (id_token["changed_users"], id_token["users"]) == (2, 3)
    assert id_token["claims"] == [
        {"kind": "added", "claim": "team", "users": 2, "examples": ["ada", "cat"]}
    ]
    assert destination(portal, "access_token")["changed_users"] == 0
    assert portal["user_diffs"][0] == {
        "user": "ada",
        "destinations": {
            name: {
                "added": {"team": "eng"},
                "removed": {},
                "changed": {},
                "header": {},
                "status": None,
            }
            for name in ("id_token", "userinfo")
        },
    }
    assert [diff["user"] for diff in portal["user_diffs"]] == ["ada", "cat"]
    assert not ClaimDefinition.objects.filter(name="team").exists()


def test_a_changed_value_shows_old_and_new_per_user(http_request, apps, users):
    tier = ClaimDefinitionFactory(name="tier", value='"gold"', include_in_access_token=True)

    def apply():
        tier.value = 'user.isMemberOfGroupName("eng") ? "platinum" : "gold"'
        tier.save()

    report = impact(http_request, apply)
    assert report["changes"] == [
        {"kind": "claim", "action": "updated", "key": "tier", "fields": ["value"]}
    ]
    access = destination(application(report, "billing"), "access_token")
    assert (access["changed_users"], access["users"]) == (2, 3)
    assert access["claims"] == [
        {"kind": "changed", "claim": "tier", "users": 2, "examples": ["ada", "cat"]}
    ]
    diff = application(report, "billing")["user_diffs"][1]
    assert diff["user"] == "cat"
    assert diff["destinations"]["access_token"]["changed"] == {
        "tier": {"old": "gold", "new": "platinum"}
    }
    assert ClaimDefinition.objects.get(pk=tier.pk).value == '"gold"'


def test_a_deletion_removes_the_claim_from_everyone(http_request, apps, users):
    tier = ClaimDefinitionFactory(name="tier", value='"gold"')
    report = impact(http_request, tier.delete)
    assert report["changes"] == [
        {"kind": "claim", "action": "deleted", "key": "tier", "fields": []}
    ]
    userinfo = destination(application(report, "portal"), "userinfo")
    assert userinfo["changed_users"] == 3
    assert userinfo["claims"] == [
        {"kind": "removed", "claim": "tier", "users": 3, "examples": ["ada", "bob", "cat"]}
    ]
    assert ClaimDefinition.objects.filter(name="tier").exists()


def test_enabling_a_disabled_definition_adds_its_claim(http_request, apps, users):
    tier = ClaimDefinitionFactory(name="tier", value='"gold"', enabled=False)
    report = impact(
        http_request, lambda: ClaimDefinition.objects.filter(pk=tier.pk).update(enabled=True)
    )
    assert report["changes"][0]["fields"] == ["enabled"]
    assert destination(application(report, "portal"), "id_token")["changed_users"] == 3
    assert not ClaimDefinition.objects.get(pk=tier.pk).enabled


def test_a_change_to_a_disabled_definition_concerns_no_token(http_request, apps, users):
    tier = ClaimDefinitionFactory(name="tier", value='"gold"', enabled=False)
    report = impact(
        http_request, lambda: ClaimDefinition.objects.filter(pk=tier.pk).update(value='"x"')
    )
    assert report["changes"][0]["fields"] == ["value"]
    assert report["applications"] == []
    assert report["users"] == {"total": 3, "compared": 0, "sample": False, "max_users": 200}
    assert all(row["changed_users"] == 0 for row in report["summary"])


def test_a_definition_for_one_application_affects_only_it(http_request, apps, users):
    portal, _billing = apps
    report = impact(
        http_request,
        lambda: ClaimDefinitionFactory(name="team", value=TEAM, applications=[portal]),
    )
    assert [app["client_id"] for app in report["applications"]] == ["portal"]
    assert report["summary"][0]["changed_applications"] == 1


def test_scopes_named_by_the_claims_are_requested(http_request, apps, users):
    ClaimDefinitionFactory(name="mail", value="user.email", scopes=["email"])
    report = impact(
        http_request,
        lambda: ClaimDefinitionFactory(name="team", value=TEAM, scopes=["teams"]),
    )
    assert application(report, "portal")["inputs"]["scopes"] == ["openid", "email", "teams"]


def test_an_app_profile_change_affects_its_application(http_request, apps, users):
    portal, _billing = apps
    ClaimDefinitionFactory(name="label", value="app.profile.label")

    def apply():
        AppProfile.objects.filter(application=portal).update(data={"label": "Sales portal"})

    report = impact(http_request, apply)
    assert report["changes"] == [
        {"kind": "app_profile", "action": "updated", "key": "portal", "fields": ["data"]}
    ]
    assert [app["client_id"] for app in report["applications"]] == ["portal"]
    id_token = destination(report["applications"][0], "id_token")
    assert id_token["changed_users"] == 3
    diff = report["applications"][0]["user_diffs"][0]["destinations"]["id_token"]
    assert diff["changed"] == {"label": {"old": "Staff portal", "new": "Sales portal"}}
    assert AppProfile.objects.get(application=portal).data == {"label": "Staff portal"}


def test_a_profile_choosing_another_id_token_algorithm_changes_the_header(
    http_request, apps, users
):
    portal, _billing = apps
    active_key("ES256")

    def apply():
        AppProfile.objects.filter(application=portal).update(id_token_signed_response_alg="ES256")

    report = impact(http_request, apply)
    assert report["changes"] == [
        {
            "kind": "app_profile",
            "action": "updated",
            "key": "portal",
            "fields": ["id_token_signed_response_alg"],
        }
    ]
    id_token = destination(application(report, "portal"), "id_token")
    assert id_token["claims"] == [
        {"kind": "header", "claim": "alg", "users": 3, "examples": ["ada", "bob", "cat"]}
    ]
    assert destination(application(report, "portal"), "access_token")["changed_users"] == 0
    diff = application(report, "portal")["user_diffs"][0]["destinations"]
    assert list(diff) == ["id_token"]
    assert diff["id_token"]["header"] == {"alg": {"old": "RS256", "new": "ES256"}}


def test_a_group_limit_that_refuses_tokens_is_a_status_change(http_request, apps, users):
    groups = ClaimDefinitionFactory(name="groups", groups_claim=True, value="zz", group_limit=5)
    UserFactory(username="dee", groups=["eng", "eng-ops"])

    def apply():
        ClaimDefinition.objects.filter(pk=groups.pk).update(value="eng", group_limit=1)

    report = impact(http_request, apply)
    id_token = destination(application(report, "portal"), "id_token")
    assert id_token["status_changes"] == [
        {"old": "issued", "new": "refused", "users": 1, "examples": ["dee"]}
    ]
    dee = next(d for d in application(report, "portal")["user_diffs"] if d["user"] == "dee")
    status = dee["destinations"]["id_token"]["status"]
    assert (status["old"], status["new"]) == ("issued", "refused")
    assert "groups" in status["new_note"]


def test_more_users_than_the_limit_are_sampled_evenly(http_request, apps, users, settings):
    for number in range(7):
        UserFactory(username=f"extra{number}")
    settings.OIDC_CLAIMS = {**settings.OIDC_CLAIMS, "IMPACT_MAX_USERS": 4}
    report = impact(http_request, lambda: ClaimDefinitionFactory(name="tier", value='"x"'))
    assert report["users"] == {"total": 10, "compared": 4, "sample": True, "max_users": 4}
    compared = [diff["user"] for diff in application(report, "portal")["user_diffs"]]
    # Every 2.5th of the ten active users by primary key: the same ones every time.
    assert compared == ["ada", "cat", "extra2", "extra4"]
    again = impact(http_request, lambda: ClaimDefinitionFactory(name="tier", value='"x"'))
    assert [d["user"] for d in application(again, "portal")["user_diffs"]] == compared


def test_the_time_limit_makes_a_partial_report(http_request, apps, users, monkeypatch):
    ticks = iter(range(1000))
    # A clock that advances one second each time it is read.
    monkeypatch.setattr("oidc_claims.preview.impact.monotonic", lambda: float(next(ticks)))
    report = impact(
        http_request, lambda: ClaimDefinitionFactory(name="tier", value='"x"'), time_limit=4
    )
    # Started at 0; the tokens after the change until 2 (two jobs: ada in both
    # applications), those before for the same jobs until 4.
    assert report["partial"] is True
    assert report["time_limit_seconds"] == 4.0
    assert report["users"]["compared"] == 1
    assert [app["users"] for app in report["applications"]] == [1, 1]
    assert report["summary"][0] == {
        "destination": "id_token",
        "users": 1,
        "changed_users": 1,
        "changed_applications": 2,
    }


def test_a_client_credentials_application_is_compared_once_without_user(http_request, users):
    ApplicationFactory(
        client_id="robot", authorization_grant_type="client-credentials", redirect_uris=""
    )
    report = impact(
        http_request,
        lambda: ClaimDefinitionFactory(
            name="tier", value='"x"', include_in_access_token=True, include_in_id_token=False
        ),
    )
    robot = application(report, "robot")
    assert robot["inputs"]["grant_type"] == "client_credentials"
    assert robot["users"] == 1
    assert robot["user_diffs"][0]["user"] == CLIENT_LABEL
    assert destination(robot, "access_token")["claims"][0]["claim"] == "tier"
    assert report["summary"][1]["changed_users"] == 0  # the client is not a user


def test_an_error_in_the_change_propagates_and_nothing_is_kept(http_request, apps, users):
    def apply():
        ClaimDefinitionFactory(name="tier", value='"x"')
        raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"):
        impact_of(apply, request=http_request)
    assert not ClaimDefinition.objects.exists()


def test_without_a_request_the_issuer_must_be_configured(apps):
    with pytest.raises(ValueError, match="OIDC_ISS_ENDPOINT"):
        impact_of(lambda: None)


def test_queries_per_user_stay_constant(http_request, apps):
    ClaimDefinitionFactory(name="groups", groups_claim=True, value="g")
    ClaimDefinitionFactory(name="mail", value="user.email", include_in_access_token=True)

    def queries(count):
        for number in range(count - UserFactory._meta.model.objects.count()):
            UserFactory(groups=[f"g{number}", f"g{number + 1}"])
        with CaptureQueriesContext(connection) as captured:
            impact_of(
                lambda: ClaimDefinitionFactory(name="tier", value='"x"'), request=http_request
            )
        groups = [q for q in captured.captured_queries if '"auth_group"' in q["sql"]]
        assert len(groups) == 1  # prefetched once, however many users
        return len(captured.captured_queries)

    queries(3)  # once-per-process work (e.g. loading the signing keys) out of the way
    three, six, nine = queries(3), queries(6), queries(9)
    assert six - three == nine - six
    # Per user and application, before and after: a constant handful (the configuration
    # version, read by each of the preview's two claim contexts on a local-memory cache).
    assert (six - three) / 3 / 2 / 2 <= 2


@pytest.mark.django_db(transaction=True)
def test_nothing_is_saved_and_the_version_is_unchanged(http_request):
    portal = ApplicationFactory(client_id="portal")
    UserFactory(username="ada")
    tier = ClaimDefinitionFactory(name="tier", value='"gold"')
    version, revisions = current_version(), Revision.objects.count()

    def apply():
        tier.value = '"silver"'
        tier.save()
        ClaimDefinitionFactory(name="team", value='"t"', applications=[portal])
        AppProfileFactory(application=portal, data={"label": "x"})

    report = impact(http_request, apply)
    assert {change["action"] for change in report["changes"]} == {"created", "updated"}
    assert current_version() == version
    assert Revision.objects.count() == revisions  # nothing recorded either
    assert list(ClaimDefinition.objects.values_list("name", "value")) == [("tier", '"gold"')]
    assert not AppProfile.objects.exists()
