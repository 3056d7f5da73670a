"""resolve() with costly claims: the value cap, the request's step budget, and their traces."""

from __future__ import annotations

import json
import logging

import pytest

from oidc_claims.engine.context import ClaimContext
from oidc_claims.engine.resolve import Reason, resolve
from tests.factories import (
    ApplicationFactory,
    AppProfileFactory,
    ClaimDefinitionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def app():
    application = ApplicationFactory(client_id="portal")
    AppProfileFactory(
        application=application,
        data={"items": [f"item-{index:05d}" for index in range(3000)], "label": "Portal"},
    )
    return application


def context_for(user, app) -> ClaimContext:
    return ClaimContext(user=user, application=app, scopes=["openid"], grant_type="password")


def test_a_value_over_the_claim_cap_is_omitted_with_its_own_reason(user, app, settings, caplog):
    settings.OIDC_CLAIMS = {"CLAIM_MAX_BYTES": 1000}
    ClaimDefinitionFactory(name="items", value="app.profile.items")
    ClaimDefinitionFactory(name="few", value="Arrays.get(app.profile.items, 0)")
    with caplog.at_level(logging.WARNING, logger="oidc_claims.engine.resolve"):
        resolution = resolve(context_for(user, app), "id_token")
    assert resolution.claims == {"few": "item-00000"}
    (entry,) = [e for e in resolution.trace if e.claim_name == "items"]
    assert entry.reason is Reason.VALUE_TOO_LARGE and not entry.included
    assert "CLAIM_MAX_BYTES" in entry.error and "more than the limit of 1000" in entry.error
    size = len(json.dumps(app.oidc_claims_profile.data["items"], separators=(",", ":")))
    assert f"{size} bytes" in entry.error
    assert "'items'" in caplog.text and "CLAIM_MAX_BYTES" in caplog.text


def test_text_under_the_cap_is_not_encoded_to_be_measured(user, app, settings):
    settings.OIDC_CLAIMS = {"CLAIM_MAX_BYTES": 64}
    ClaimDefinitionFactory(name="short", value='"' + "é" * 10 + '"')
    ClaimDefinitionFactory(name="long", value='"' + "é" * 20 + '"')
    resolution = resolve(context_for(user, app), "id_token")
    # "é" is sent as \u00e9 (6 bytes): 20 of them are 122 bytes of JSON.
    assert resolution.claims == {"short": "é" * 10}
    (entry,) = [e for e in resolution.trace if e.claim_name == "long"]
    assert entry.reason is Reason.VALUE_TOO_LARGE and "122 bytes" in entry.error


def test_claims_of_one_request_share_the_request_budget(user, app, settings):
    settings.OIDC_CLAIMS = {"EXPRESSION_MAX_STEPS_PER_REQUEST": 10_000, "CLAIM_MAX_BYTES": 10**6}
    # Each copy of the 3000 items costs about 3000 steps: three fit, the fourth does not.
    for index in range(4):
        ClaimDefinitionFactory(name=f"copy_{index}", value="Arrays.size({app.profile.items})")
        ClaimDefinitionFactory(name=f"list_{index}", value="{app.profile.items}")
    context = context_for(user, app)
    resolution = resolve(context, "id_token")
    included = [name for name in resolution.claims if name.startswith("list_")]
    assert included == ["list_0", "list_1", "list_2"]
    (entry,) = [e for e in resolution.trace if e.claim_name == "list_3"]
    assert entry.reason is Reason.EVALUATION_ERROR
    assert "EXPRESSION_MAX_STEPS_PER_REQUEST" in entry.error
    # Reads that copy nothing stay cheap and are all included.
    assert all(resolution.claims[f"copy_{index}"] == 1 for index in range(4))
    assert context.step_budget.used == context.step_budget.limit
    # Another request has a budget of its own; the memoised values do not charge twice.
    assert resolve(context, "access_token").claims == {}
    assert "list_0" in resolve(context_for(user, app), "id_token").claims
