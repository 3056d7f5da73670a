"""Claim tests in the admin: the run page with actual values, the test form's validation, and
the claim change form that runs the tests before saving."""

from __future__ import annotations

import json
from html import unescape

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse

from oidc_claims.models import AppProfile, ClaimDefinition
from oidc_claims.models.claim_tests import ClaimTest
from tests.admin.test_applications import _change_url as application_url
from tests.admin.test_applications import _post_data as application_form
from tests.factories import (
    ApplicationFactory,
    AppProfileFactory,
    ClaimDefinitionFactory,
    ClaimTestFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

RUN = "admin:oidc_claims_claimtest_run"
TESTS = "admin:oidc_claims_claimtest_changelist"
ADD_TEST = "admin:oidc_claims_claimtest_add"


def gold(destination="id_token", value="gold"):
    return {"destination": destination, "claim": "tier", "operator": "equals", "value": value}


@pytest.fixture
def tier():
    app = ApplicationFactory(client_id="portal", name="Portal")
    user = UserFactory(username="ada")
    definition = ClaimDefinitionFactory(name="tier", value='"gold"', include_in_access_token=True)
    ClaimTestFactory(name="ada is gold", application=app, user=user, expectations=[gold()])
    return definition


def staff_with(*codenames):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


# --- The run page ---------------------------------------------------------------------------


def test_run_page_shows_pass_fail_and_actual_values(superuser_client, tier):
    ClaimTestFactory(
        name="ada is silver",
        application=ClaimTest.objects.get().application,
        user=ClaimTest.objects.get().user,
        expectations=[gold("access_token", "silver")],
    )
    response = superuser_client.get(reverse(RUN))
    assert response.status_code == 200
    page = unescape(response.content.decode())
    assert "2 test(s): 1 passed, 1 failed, 0 error(s)." in page
    assert 'data-test="ada is gold"' in page and 'data-test="ada is silver"' in page
    assert 'expected "silver"; found "gold"' in page
    assert response.context["report"].by_id()  # the report the runner made
    assert [r["result"].status for r in response.context["rows"]] == ["passed", "failed"]


def test_run_page_takes_selected_ids_and_the_action_leads_there(superuser_client, tier):
    other = ClaimTestFactory(name="other", expectations=[gold(value="x")], enabled=False)
    response = superuser_client.get(reverse(RUN), {"id": [other.pk]})
    assert [r["result"].name for r in response.context["rows"]] == ["other"]
    action = superuser_client.post(
        reverse(TESTS), {"action": "run_selected", "_selected_action": [other.pk]}
    )
    assert action.status_code == 302
    assert action["Location"] == f"{reverse(RUN)}?id={other.pk}"


def test_changelist_offers_the_run_button(superuser_client, tier):
    assert reverse(RUN) in superuser_client.get(reverse(TESTS)).content.decode()


def test_run_page_needs_view_and_preview_permissions(client, tier):
    assert client.get(reverse(RUN)).status_code == 302  # to the login
    client.force_login(staff_with("view_claimtest"))
    assert client.get(reverse(RUN)).status_code == 403
    assert reverse(RUN) not in client.get(reverse(TESTS)).content.decode()
    client.force_login(staff_with("view_claimtest", "preview_token"))
    assert client.get(reverse(RUN)).status_code == 200
    assert client.post(reverse(RUN)).status_code == 405


def test_a_broken_test_shows_its_problem(superuser_client, tier):
    test = ClaimTest.objects.get()
    test.user.delete()
    page = unescape(superuser_client.get(reverse(RUN)).content.decode())
    assert "0 passed, 0 failed, 1 error(s)." in page
    assert "The test has no user (it was deleted)" in page


# --- The test form ------------------------------------------------------------------------


def claim_test_form(app, user, **overrides):
    data = {
        "name": "new test",
        "description": "",
        "enabled": "on",
        "application": app.pk,
        "user": user.pk,
        "grant_type": "authorization_code",
        "scopes": "openid email",
        "claims_parameter": "",
        "expectations": json.dumps([gold()]),
    }
    return {**data, **overrides}


def test_add_a_test_in_the_admin(superuser_client, tier):
    app, user = ApplicationFactory(), UserFactory()
    response = superuser_client.post(reverse(ADD_TEST), claim_test_form(app, user))
    assert response.status_code == 302, response.context["adminform"].form.errors
    test = ClaimTest.objects.get(name="new test")
    assert test.scopes == ["openid", "email"] and test.claims_parameter is None


def test_bad_expectations_are_shown_on_the_form(superuser_client, tier):
    app, user = ApplicationFactory(), UserFactory()
    bad = json.dumps([{**gold(), "operator": "like"}])
    response = superuser_client.post(
        reverse(ADD_TEST), claim_test_form(app, user, expectations=bad)
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["expectations"] == [
        "Expectation 1: operator 'like' is not one of equals, absent, contains, matches."
    ]
    assert not ClaimTest.objects.filter(name="new test").exists()


# --- Before a claim is saved --------------------------------------------------------------


def claim_form(definition, **overrides):
    data = {
        "name": definition.name,
        "description": "",
        "enabled": "on",
        "value_type": "expression",
        "value": definition.value,
        "group_filter": "",
        "group_limit": "100",
        "include_in_id_token": "on",
        "include_in_access_token": "on",
        "include_in_userinfo": "on",
        "scopes": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def change_url(definition):
    return reverse("admin:oidc_claims_claimdefinition_change", args=[definition.pk])


def test_a_breaking_change_shows_the_failures_and_is_not_saved(superuser_client, tier):
    response = superuser_client.post(change_url(tier), claim_form(tier, value='"silver"'))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.non_field_errors() == [
        "This change makes 1 passing claim test(s) fail (below). Tick “Save even though "
        "claim tests fail” to save it anyway."
    ]
    page = unescape(response.content.decode())
    assert 'id="claim-test-gate"' in page
    assert 'data-test="ada is gold"' in page
    assert 'expected "gold"; found "silver"' in page
    assert 'name="confirm_failing_tests"' in page
    tier.refresh_from_db()
    assert tier.value == '"gold"'


def test_a_confirmed_breaking_change_is_saved_with_a_warning(superuser_client, tier):
    data = claim_form(tier, value='"silver"', confirm_failing_tests="on")
    response = superuser_client.post(change_url(tier), data)
    assert response.status_code == 302
    tier.refresh_from_db()
    assert tier.value == '"silver"'
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert "Saved although these claim tests now fail: ada is gold" in texts


def test_with_tests_required_no_confirmation_is_offered_or_accepted(
    superuser_client, tier, settings
):
    settings.OIDC_CLAIMS = {**settings.OIDC_CLAIMS, "CLAIM_TESTS_REQUIRED": True}
    data = claim_form(tier, value='"silver"', confirm_failing_tests="on")
    response = superuser_client.post(change_url(tier), data)
    assert response.status_code == 200
    assert "claim tests are required" in response.context["adminform"].form.non_field_errors()[0]
    assert 'name="confirm_failing_tests"' not in response.content.decode()
    tier.refresh_from_db()
    assert tier.value == '"gold"'


def test_a_change_that_keeps_the_tests_green_saves_at_once(superuser_client, tier):
    response = superuser_client.post(change_url(tier), claim_form(tier, description="still gold"))
    assert response.status_code == 302
    tier.refresh_from_db()
    assert tier.description == "still gold"


def test_already_failing_tests_are_listed_and_do_not_block(superuser_client, tier):
    test = ClaimTest.objects.get()
    ClaimTestFactory(
        name="already red",
        application=test.application,
        user=test.user,
        expectations=[gold(value="platinum")],
    )
    assert (
        superuser_client.post(change_url(tier), claim_form(tier, description="x")).status_code
        == 302
    )
    response = superuser_client.post(change_url(tier), claim_form(tier, value='"silver"'))
    assert response.status_code == 200
    page = unescape(response.content.decode())
    assert 'id="claim-tests-already-failing"' in page
    assert 'data-test="already red"' in page


def test_adding_a_claim_is_gated_and_leaves_no_row_behind(superuser_client, tier):
    test = ClaimTest.objects.get()
    test.expectations = [gold(), {"destination": "userinfo", "claim": "nick", "operator": "absent"}]
    test.save()
    add = reverse("admin:oidc_claims_claimdefinition_add")
    nick = ClaimDefinition(name="nick", value='"n"')
    response = superuser_client.post(add, claim_form(nick))
    assert response.status_code == 200
    assert not ClaimDefinition.objects.filter(name="nick").exists()
    response = superuser_client.post(add, claim_form(nick, confirm_failing_tests="on"))
    assert response.status_code == 302
    assert ClaimDefinition.objects.filter(name="nick").count() == 1


def test_the_impact_preview_of_a_breaking_change_is_not_held_up_by_the_tests(
    superuser_client, tier
):
    impact = reverse("admin:oidc_claims_claimdefinition_impact_change", args=[tier.pk])
    response = superuser_client.post(impact, claim_form(tier, value='"silver"'))
    assert response.status_code == 200
    assert 'id="claim-test-gate"' not in response.content.decode()
    assert not response.context["errors"]
    tier.refresh_from_db()
    assert tier.value == '"gold"'


# --- Before an application's profile is saved ---------------------------------------------


@pytest.fixture
def profiled():
    app = ApplicationFactory(client_id="portal")
    AppProfileFactory(application=app, data={"tier": "gold"})
    ClaimDefinitionFactory(name="tier", value="app.profile.tier")
    ClaimTestFactory(name="portal is gold", application=app, expectations=[gold()])
    return app


def test_a_profile_change_that_breaks_a_test_is_shown_and_not_saved(superuser_client, profiled):
    data = application_form(superuser_client, profiled, '{"tier": "bronze"}')
    response = superuser_client.post(application_url(profiled), data)
    assert response.status_code == 200
    page = unescape(response.content.decode())
    assert 'id="claim-test-gate"' in page
    assert 'expected "gold"; found "bronze"' in page
    assert "Tick “Save even though claim tests fail”" in page
    assert AppProfile.objects.get(application=profiled).data == {"tier": "gold"}

    confirmed = superuser_client.post(
        application_url(profiled), {**data, "confirm_failing_tests": "on"}
    )
    assert confirmed.status_code == 302
    assert AppProfile.objects.get(application=profiled).data == {"tier": "bronze"}
    assert AppProfile.objects.filter(application=profiled).count() == 1


def test_deleting_the_profile_is_gated_too(superuser_client, profiled):
    data = application_form(superuser_client, profiled, '{"tier": "gold"}')
    prefix = "oidc_claims_profile"
    data[f"{prefix}-0-DELETE"] = "on"
    assert superuser_client.post(application_url(profiled), data).status_code == 200
    assert AppProfile.objects.filter(application=profiled).exists()
    data["confirm_failing_tests"] = "on"
    assert superuser_client.post(application_url(profiled), data).status_code == 302
    assert not AppProfile.objects.filter(application=profiled).exists()


def test_a_profile_change_is_refused_when_tests_are_required(superuser_client, profiled, settings):
    settings.OIDC_CLAIMS = {**settings.OIDC_CLAIMS, "CLAIM_TESTS_REQUIRED": True}
    data = application_form(superuser_client, profiled, '{"tier": "bronze"}')
    response = superuser_client.post(
        application_url(profiled), {**data, "confirm_failing_tests": "on"}
    )
    assert response.status_code == 200
    assert 'name="confirm_failing_tests"' not in response.content.decode()
    assert AppProfile.objects.get(application=profiled).data == {"tier": "gold"}


def test_a_profile_change_that_keeps_the_tests_green_is_saved(superuser_client, profiled):
    data = application_form(superuser_client, profiled, '{"tier": "gold", "label": "Portal"}')
    assert superuser_client.post(application_url(profiled), data).status_code == 302
    assert AppProfile.objects.get(application=profiled).data["label"] == "Portal"


# --- Before a claim is deleted --------------------------------------------------------------


def delete_url(definition):
    return reverse("admin:oidc_claims_claimdefinition_delete", args=[definition.pk])


def test_a_deletion_that_breaks_a_test_shows_the_failures_and_deletes_nothing(
    superuser_client, tier
):
    response = superuser_client.post(delete_url(tier), {"post": "yes"})
    assert response.status_code == 200
    page = unescape(response.content.decode())
    assert 'id="claim-test-gate"' in page
    assert 'expected "gold"; the claim is absent' in page
    assert 'id="delete-despite-claim-tests"' in page
    assert ClaimDefinition.objects.filter(pk=tier.pk).exists()

    confirmed = superuser_client.post(
        delete_url(tier), {"post": "yes", "confirm_failing_tests": "on"}
    )
    assert confirmed.status_code == 302
    assert not ClaimDefinition.objects.filter(pk=tier.pk).exists()


def test_a_deletion_is_refused_when_tests_are_required(superuser_client, tier, settings):
    settings.OIDC_CLAIMS = {**settings.OIDC_CLAIMS, "CLAIM_TESTS_REQUIRED": True}
    response = superuser_client.post(
        delete_url(tier), {"post": "yes", "confirm_failing_tests": "on"}
    )
    assert response.status_code == 200
    assert 'id="delete-despite-claim-tests"' not in response.content.decode()
    assert ClaimDefinition.objects.filter(pk=tier.pk).exists()


def test_a_deletion_that_breaks_nothing_is_made_at_once(superuser_client, tier):
    other = ClaimDefinitionFactory(name="unused", value='"x"')
    assert superuser_client.post(delete_url(other), {"post": "yes"}).status_code == 302
    assert not ClaimDefinition.objects.filter(pk=other.pk).exists()


def test_the_test_form_links_to_a_run_of_this_test(superuser_client, tier):
    test = ClaimTest.objects.get()
    page = superuser_client.get(reverse("admin:oidc_claims_claimtest_change", args=[test.pk]))
    assert f'href="{reverse(RUN)}?id={test.pk}"' in page.content.decode()
    assert 'id="run-this-test"' not in superuser_client.get(reverse(ADD_TEST)).content.decode()
