"""Acceptance 1: one set of claim definitions, verified in every token a real client receives."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from oauth2_provider.models import get_application_model

from example_project.management.commands.seed_demo import DEMO_SERVICE_SECRET, DEMO_WEB_SECRET
from oidc_claims.models import AppProfile
from tests.factories import ClaimDefinitionFactory
from tests.tokens_support import stored_subject

from .flows_tokens import front_channel_flow, introspect, post_token, userinfo
from .oidc import authorization_code_flow, client_credentials_token

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EVERYWHERE = {
    "include_in_id_token": True,
    "include_in_access_token": True,
    "include_in_userinfo": True,
}
# alice: alice@example.com, groups Everyone, engineering, engineering-admins.
ALICE = {"username": "alice", "password": "alice-demo-password"}
ALICE_GROUPS = ["engineering", "engineering-admins"]


@pytest.fixture
def idp(demo_idp):
    """The demo IdP with the acceptance claim set and implicit and hybrid clients."""
    Application = get_application_model()
    callback = f"{demo_idp.base_url}/demo/callback"
    web = Application.objects.get(client_id="demo-web")
    for client_id, grant in (("e2e-implicit", "implicit"), ("e2e-hybrid", "openid-hybrid")):
        Application.objects.create(
            client_id=client_id,
            client_secret="e2e-secret-Mw4Tb9Fh2Kq7Vn3Lz8Rc5Y",
            name=client_id,
            client_type="confidential",
            authorization_grant_type=grant,
            redirect_uris=callback,
            algorithm="RS256",
            user=web.user,
        )
    for application in Application.objects.all():
        AppProfile.objects.create(
            application=application, data={"label": f"label-{application.client_id}"}
        )
    ClaimDefinitionFactory(
        name="login_name", value='String.substringBefore(user.email, "@")', **EVERYWHERE
    )
    ClaimDefinitionFactory(name="groups", value="engineering", groups_claim=True, **EVERYWHERE)
    ClaimDefinitionFactory(name="app_label", value="app.profile.label", **EVERYWHERE)
    ClaimDefinitionFactory(name="contact", value="user.email", scopes=["email"], **EVERYWHERE)
    ClaimDefinitionFactory(name="retired", value='"gone"', enabled=False, **EVERYWHERE)
    return demo_idp


def expected(client_id: str, *, email: bool = True) -> dict[str, Any]:
    claims = {"login_name": "alice", "groups": ALICE_GROUPS, "app_label": f"label-{client_id}"}
    if email:
        claims["contact"] = "alice@example.com"
    return claims


def assert_claims(payload: dict[str, Any], client_id: str, *, email: bool = True) -> None:
    for name, value in expected(client_id, email=email).items():
        assert payload.get(name) == value, (name, payload)
    assert "retired" not in payload
    if not email:
        assert "contact" not in payload


def alice_sub() -> str:
    return stored_subject(get_user_model().objects.get(username="alice"))


def test_code_flow_id_token_access_token_refresh_userinfo_introspection(idp):
    result = authorization_code_flow(
        idp,
        client_id="demo-web",
        client_secret=DEMO_WEB_SECRET,
        redirect_uri=f"{idp.base_url}/demo/callback",
        pkce=False,
        **ALICE,
    )
    assert_claims(result.id_token_claims, "demo-web")
    header, access = idp.verify_jwt(result.token["access_token"], audience="demo-web", typ="at+jwt")
    assert header["alg"] == "RS256"
    assert_claims(access, "demo-web")
    assert access["sub"] == alice_sub() and access["client_id"] == "demo-web"
    assert access["scope"] == "openid profile email" and "jti" in access and "auth_time" in access

    info = userinfo(idp, result.token["access_token"])
    assert info["sub"] == alice_sub()
    assert_claims(info, "demo-web")

    inspected = introspect(idp, result.token["access_token"], "demo-web", DEMO_WEB_SECRET)
    assert inspected["active"] is True and inspected["username"] == "alice"
    assert inspected["client_id"] == "demo-web"
    assert_claims(inspected, "demo-web")

    # After a refresh the claims are evaluated again: a new group shows up.
    from django.contrib.auth.models import Group

    get_user_model().objects.get(username="alice").groups.add(
        Group.objects.create(name="engineering-new")
    )
    refreshed = post_token(
        idp,
        "demo-web",
        DEMO_WEB_SECRET,
        grant_type="refresh_token",
        refresh_token=result.token["refresh_token"],
    )
    _, id_claims = idp.verify_jwt(refreshed["id_token"], audience="demo-web")
    _, access = idp.verify_jwt(refreshed["access_token"], audience="demo-web", typ="at+jwt")
    for payload in (id_claims, access):
        assert payload["groups"] == [*ALICE_GROUPS, "engineering-new"]
        assert payload["login_name"] == "alice" and payload["app_label"] == "label-demo-web"


def test_scope_conditioned_claim_is_absent_without_its_scope(idp):
    result = authorization_code_flow(
        idp,
        client_id="demo-spa",
        redirect_uri=f"{idp.base_url}/demo/callback",
        scope="openid profile",
        **ALICE,
    )
    assert_claims(result.id_token_claims, "demo-spa", email=False)
    _, access = idp.verify_jwt(result.token["access_token"], audience="demo-spa", typ="at+jwt")
    assert_claims(access, "demo-spa", email=False)


@pytest.mark.parametrize(
    "client_id, response_type",
    [
        ("e2e-implicit", "id_token"),
        ("e2e-implicit", "id_token token"),
        ("e2e-hybrid", "code id_token"),
        ("e2e-hybrid", "code id_token token"),
        ("e2e-hybrid", "code token"),
    ],
)
def test_implicit_and_hybrid_id_tokens(idp, client_id, response_type):
    callback = f"{idp.base_url}/demo/callback"
    params, nonce = front_channel_flow(
        idp, client_id=client_id, redirect_uri=callback, response_type=response_type, **ALICE
    )
    assert "error" not in params, params
    if "id_token" in response_type:
        _, id_claims = idp.verify_jwt(params["id_token"], audience=client_id, nonce=nonce)
        assert_claims(id_claims, client_id)
    if "token" in response_type.split():
        _, access = idp.verify_jwt(params["access_token"], audience=client_id, typ="at+jwt")
        assert_claims(access, client_id)
    if "code" in response_type:
        tokens = post_token(
            idp,
            client_id,
            "e2e-secret-Mw4Tb9Fh2Kq7Vn3Lz8Rc5Y",
            grant_type="authorization_code",
            code=params["code"],
            redirect_uri=callback,
        )
        _, id_claims = idp.verify_jwt(tokens["id_token"], audience=client_id, nonce=nonce)
        assert_claims(id_claims, client_id)


def test_client_credentials_access_token_and_introspection(idp):
    token = client_credentials_token(idp, "demo-service", DEMO_SERVICE_SECRET)
    _, access = idp.verify_jwt(token["access_token"], audience="demo-service", typ="at+jwt")
    assert access["sub"] == "demo-service" and access["app_label"] == "label-demo-service"
    assert "login_name" not in access and "retired" not in access
    # No user, so no group membership: the groups claim is omitted, like user expressions.
    assert "groups" not in access
    inspected = introspect(idp, token["access_token"], "demo-service", DEMO_SERVICE_SECRET)
    assert inspected["active"] is True and inspected["app_label"] == "label-demo-service"
