"""A costly claim cannot stall the token endpoint: over real HTTP, with a real OIDC client.

The issue's case: a 2 MB app profile (stored before the profile size limit existed, or
through the ORM, which runs no validation), one claim that puts ``app.profile.a`` into an
array 292 times, and a deep ``==`` over the profile. Each is stopped by the step budget and
omitted from the tokens, which are issued as usual; a token over ``TOKEN_MAX_BYTES`` is a
clean OAuth error instead of a response the client cannot use.
"""

from __future__ import annotations

import copy
import json
import logging

import pytest
from authlib.integrations.base_client import OAuthError
from oauth2_provider.models import get_access_token_model, get_application_model

from example_project.management.commands.seed_demo import DEMO_WEB_SECRET
from oidc_claims.models import AppProfile
from tests.factories import ClaimDefinitionFactory

from .oidc import authorization_code_flow

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ALICE = {"username": "alice", "password": "alice-demo-password"}
BOTH_TOKENS = {"include_in_id_token": True, "include_in_access_token": True}


def web_flow(idp, **kwargs):
    return authorization_code_flow(
        idp,
        client_id="demo-web",
        client_secret=DEMO_WEB_SECRET,
        redirect_uri=f"{idp.base_url}/demo/callback",
        **ALICE,
        **kwargs,
    )


def set_web_profile(data) -> None:
    # Straight through the ORM (no full_clean): as data saved before the limit existed.
    web = get_application_model().objects.get(client_id="demo-web")
    AppProfile.objects.update_or_create(application=web, defaults={"data": data})


def two_megabytes():
    a = [{"key": f"value-{index:07d}", "tags": ["x", "y"], "n": index} for index in range(40_000)]
    assert len(json.dumps(a, separators=(",", ":"))) > 2_000_000
    return a


def test_the_issue_s_claims_are_omitted_and_the_tokens_issued(demo_idp, caplog):
    a = two_megabytes()
    set_web_profile({"a": a, "b": copy.deepcopy(a), "label": "Web"})
    # Claims are evaluated in name order, sharing the request's step budget.
    ClaimDefinitionFactory(name="app_label", value="app.profile.label", **BOTH_TOKENS)
    ClaimDefinitionFactory(
        name="copies", value="{" + ",".join(["app.profile.a"] * 292) + "}", **BOTH_TOKENS
    )
    ClaimDefinitionFactory(name="deep_equal", value="app.profile.a == app.profile.b", **BOTH_TOKENS)

    with caplog.at_level(logging.WARNING, logger="oidc_claims.engine.resolve"):
        result = web_flow(demo_idp)

    id_claims = result.id_token_claims
    _, access_claims = demo_idp.verify_jwt(result.token["access_token"], typ="at+jwt")
    for claims in (id_claims, access_claims):
        assert claims["app_label"] == "Web"
        assert "copies" not in claims and "deep_equal" not in claims
    assert len(result.token["access_token"]) < 4096
    # Step accounting: each is stopped once per request (memoised), charged before the copy or
    # comparison that would exceed its budget, not after. Two requests evaluate the claims: the
    # consent page (it lists what the client will receive) and the token exchange, identically.
    omitted = [record.getMessage() for record in caplog.records if "omitted" in record.getMessage()]
    assert len(omitted) == 4 and len(set(omitted)) == 2, omitted
    (copies,) = {text for text in omitted if "Claim 'copies'" in text}
    assert "over the budget of 100000 (EXPRESSION_MAX_STEPS)" in copies
    assert 100_000 < steps_in(copies) <= 100_000 + len(a)
    # The deep comparison gets what is left of EXPRESSION_MAX_STEPS_PER_REQUEST (150000).
    (deep,) = {text for text in omitted if "Claim 'deep_equal'" in text}
    assert "(EXPRESSION_MAX_STEPS_PER_REQUEST)" in deep
    left = int(deep.split("over the budget of ")[1].split(" ")[0])
    assert 49_000 < left < 50_000
    assert left < steps_in(deep) <= left + 10


def steps_in(message: str) -> int:
    return int(message.split("evaluation stopped after ")[1].split(" steps")[0])


def test_a_claim_over_the_claim_cap_is_omitted(demo_idp, settings):
    set_web_profile({"members": [f"member-{index:05d}" for index in range(2000)]})
    settings.OIDC_CLAIMS = {"CLAIM_MAX_BYTES": 16_384}
    ClaimDefinitionFactory(name="members", value="app.profile.members", **BOTH_TOKENS)
    ClaimDefinitionFactory(name="first", value="Arrays.get(app.profile.members, 0)", **BOTH_TOKENS)
    result = web_flow(demo_idp)
    assert result.id_token_claims["first"] == "member-00000"
    assert "members" not in result.id_token_claims


def test_a_token_over_the_token_cap_is_a_clean_oauth_error(demo_idp, settings):
    settings.OIDC_CLAIMS = {"TOKEN_MAX_BYTES": 8192}
    set_web_profile({"text": "t" * 5000})
    for name in ("one", "two"):
        ClaimDefinitionFactory(name=name, value="app.profile.text", include_in_id_token=True)

    with pytest.raises(OAuthError) as caught:
        web_flow(demo_idp)
    assert caught.value.error == "invalid_request"
    assert "The ID token's claims encode to" in caught.value.description
    assert (
        "more than the limit of 8192 (OIDC_CLAIMS['TOKEN_MAX_BYTES'])" in caught.value.description
    )
    assert not get_access_token_model().objects.exists()

    settings.OIDC_CLAIMS = {"TOKEN_MAX_BYTES": 16_384}
    assert web_flow(demo_idp).id_token_claims["two"] == "t" * 5000
