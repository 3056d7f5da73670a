"""Basic OP plan, scopes: oidcc-scope-profile, -email, -address, -phone, -all and
oidcc-ensure-other-scope-order-succeeds. The standard claims of each scope reach userinfo
(code flow) and, when no access token is issued (response_type=id_token), the ID token."""

from __future__ import annotations

import json

import pytest

from example_project.management.commands.seed_demo import STANDARD_CLAIM_VALUES
from oidc_claims.models import ClaimDefinition
from oidc_claims.models.standard_claims import STANDARD_CLAIMS, seed_standard_claims

from .conftest import ALICE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

STANDARD_NAMES = frozenset(claim.name for claim in STANDARD_CLAIMS)
# What the demo knows of alice (seed_demo), by the scope that releases it. Django's user
# records no profile change time, so updated_at is left out.
ALICE_CLAIMS = {
    "profile": {
        "name": "Alice Anders",
        "given_name": "Alice",
        "family_name": "Anders",
        "preferred_username": "alice",
    },
    "email": {"email": "alice@example.com", "email_verified": True},
    "address": {
        "address": {
            "formatted": "1 Main Street\nSpringfield 12345\nUS",
            "street_address": "1 Main Street",
            "locality": "Springfield",
            "postal_code": "12345",
            "country": "US",
        }
    },
    "phone": {"phone_number": "+1 555 0100", "phone_number_verified": True},
}


@pytest.fixture
def scopes_op(op):
    """The OP with the standard claims a site gets after migrate, pointed (as the demo
    does) at the contact details the demo keeps beside Django's user."""
    seed_standard_claims()
    for name, value in STANDARD_CLAIM_VALUES.items():
        ClaimDefinition.objects.filter(name=name, standard=True).update(value=value)
    return op


def standard(claims: dict) -> dict:
    return {name: value for name, value in claims.items() if name in STANDARD_NAMES}


def expected_for(scope: str) -> dict:
    released: dict = {}
    for name in scope.split():
        released.update(ALICE_CLAIMS.get(name, {}))
    return released


def code_flow(op, scope: str, **params: str) -> tuple[dict, dict]:
    """Sign in as alice with the code client; returns (token response, ID token claims)."""
    rp = op.client()
    result = rp.authorize(ALICE, scope=scope, nonce="n-0S6_WzA2Mj", **params)
    assert "error" not in result.params, result.params
    token = rp.exchange(result.params["code"])
    claims = rp.verify_id_token(
        token["id_token"], nonce="n-0S6_WzA2Mj", access_token=token["access_token"]
    )
    return token, claims


def assert_scope_released(op, scope: str) -> None:
    """Code flow: the scope's claims in userinfo, none in the ID token (an access token
    was issued). ID-token-only flow: the same claims in the ID token."""
    token, id_token = code_flow(op, scope)
    info = op.client().userinfo(token["access_token"])
    assert info.status_code == 200, info.text
    assert info.json()["sub"] == id_token["sub"]
    assert standard(info.json()) == expected_for(scope)
    assert standard(id_token) == {}

    implicit = op.client("conformance-implicit", response_type="id_token")
    result = implicit.authorize(ALICE, scope=scope, nonce="n-implicit")
    assert "access_token" not in result.params and "error" not in result.params, result.params
    claims = implicit.verify_id_token(result.params["id_token"], nonce="n-implicit")
    assert standard(claims) == expected_for(scope)


def test_oidcc_scope_profile(scopes_op):
    assert_scope_released(scopes_op, "openid profile")


def test_oidcc_scope_email(scopes_op):
    assert_scope_released(scopes_op, "openid email")


def test_oidcc_scope_address(scopes_op):
    assert_scope_released(scopes_op, "openid address")


def test_oidcc_scope_phone(scopes_op):
    assert_scope_released(scopes_op, "openid phone")


def test_oidcc_scope_all(scopes_op):
    assert_scope_released(scopes_op, "openid profile email address phone")
    assert len(expected_for("openid profile email address phone")) == 9


def test_oidcc_ensure_other_scope_order_succeeds(scopes_op):
    # openid need not come first (RFC 6749 3.3: the order of scope values does not matter).
    assert_scope_released(scopes_op, "email openid")
    assert_scope_released(scopes_op, "phone profile openid email")


def test_only_sub_without_scopes(scopes_op):
    token, id_token = code_flow(scopes_op, "openid")
    info = scopes_op.client().userinfo(token["access_token"])
    assert info.json() == {"sub": id_token["sub"]}
    assert standard(id_token) == {}


def test_the_claims_parameter_puts_standard_claims_into_the_code_flow_id_token(scopes_op):
    # Core 5.5: asked for by name, email_verified is in the ID token that /token returns.
    requested = {"id_token": {"email": None, "email_verified": {"essential": True}}}
    _, id_token = code_flow(scopes_op, "openid email", claims=json.dumps(requested))
    assert standard(id_token) == ALICE_CLAIMS["email"]
