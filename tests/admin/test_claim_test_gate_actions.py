"""The claim list's bulk actions run the claim tests first, as single saves do: enabling,
disabling or deleting claims so that a passing test fails comes back with the failures and a
button to do it anyway (none when tests are required); copies, disabled, are not held up."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from oauth2_provider.models import get_application_model

from oidc_claims.models import ClaimDefinition
from tests.factories import (
    ClaimDefinitionFactory,
    ClaimTestFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:oidc_claims_claimdefinition_changelist")


@pytest.fixture
def tiers(tier):
    """The profile's tier (tested to be gold), and a disabled constant of the same name."""
    return tier, ClaimDefinitionFactory(name="tier", value='"silver"', enabled=False)


def act(client, action: str, claims, **extra):
    data = {"action": action, ACTION_CHECKBOX_NAME: [str(claim.pk) for claim in claims], **extra}
    return client.post(CHANGELIST, data)


def enabled(claim) -> bool:
    return ClaimDefinition.objects.get(pk=claim.pk).enabled


def assert_gate_page(response, button: str | None) -> None:
    assert response.status_code == 409
    page = response.content.decode()
    assert "makes 1 passing claim test(s) fail" in page and "portal users are gold" in page
    if button is None:
        assert 'name="confirm_failing_tests"' not in page
    else:
        assert f'value="{button}"' in page and 'name="confirm_failing_tests"' in page


def test_disabling_a_tested_claim_asks_first(superuser_client, tiers):
    profile_tier, _ = tiers
    assert_gate_page(
        act(superuser_client, "disable_claims", [profile_tier]),
        "Disable even though claim tests fail",
    )
    assert enabled(profile_tier)
    done = act(superuser_client, "disable_claims", [profile_tier], confirm_failing_tests="on")
    assert done.status_code == 302 and not enabled(profile_tier)


def test_enabling_a_claim_that_breaks_a_test_asks_first(superuser_client, tiers):
    nickname = ClaimDefinitionFactory(name="nickname", value='"nick"', enabled=False)
    ClaimTestFactory(
        name="no nickname for the portal",
        application=get_application_model().objects.get(client_id="portal"),
        user=UserFactory(),
        expectations=[{"destination": "id_token", "claim": "nickname", "operator": "absent"}],
    )
    response = act(superuser_client, "enable_claims", [nickname])
    assert response.status_code == 409
    page = response.content.decode()
    assert "no nickname for the portal" in page
    assert 'value="Enable even though claim tests fail"' in page
    assert not enabled(nickname)
    done = act(superuser_client, "enable_claims", [nickname], confirm_failing_tests="on")
    assert done.status_code == 302 and enabled(nickname)


def test_an_enable_refused_by_the_model_rules_is_reported_not_gated(superuser_client, tiers):
    _, constant = tiers
    # Another enabled "tier" goes into the same token: the model refuses it, no test fails.
    response = act(superuser_client, "enable_claims", [constant])
    assert response.status_code == 302 and not enabled(constant)


def test_deleting_a_tested_claim_asks_first(superuser_client, tiers, settings):
    profile_tier, _ = tiers
    confirmation = act(superuser_client, "delete_selected", [profile_tier])
    assert confirmation.status_code == 200  # Django's "Are you sure?" page, unchanged
    assert_gate_page(
        act(superuser_client, "delete_selected", [profile_tier], post="yes"),
        "Delete even though claim tests fail",
    )
    assert ClaimDefinition.objects.filter(pk=profile_tier.pk).exists()
    settings.OIDC_CLAIMS = {**settings.OIDC_CLAIMS, "CLAIM_TESTS_REQUIRED": True}
    refused = act(
        superuser_client, "delete_selected", [profile_tier], post="yes", confirm_failing_tests="on"
    )
    assert_gate_page(refused, None)
    assert ClaimDefinition.objects.filter(pk=profile_tier.pk).exists()
    settings.OIDC_CLAIMS = {**settings.OIDC_CLAIMS, "CLAIM_TESTS_REQUIRED": False}
    done = act(
        superuser_client, "delete_selected", [profile_tier], post="yes", confirm_failing_tests="on"
    )
    assert done.status_code == 302
    assert not ClaimDefinition.objects.filter(pk=profile_tier.pk).exists()


def test_the_gate_page_posts_the_action_again_confirmed(superuser_client, tiers):
    profile_tier, _ = tiers
    page = act(superuser_client, "disable_claims", [profile_tier]).content.decode()
    assert 'name="action" value="disable_claims"' in page
    assert f'name="{ACTION_CHECKBOX_NAME}" value="{profile_tier.pk}"' in page


def test_duplicates_are_disabled_and_not_held_up(superuser_client, tiers):
    profile_tier, _ = tiers
    response = act(superuser_client, "duplicate_claims", [profile_tier])
    assert response.status_code == 302
    assert ClaimDefinition.objects.filter(name="tier").count() == 3
