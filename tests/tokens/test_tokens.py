"""Configured claims in the ID token and JWT access token of every grant (Django test client)."""

from __future__ import annotations

import pytest
from django.test import override_settings
from oauth2_provider.models import get_access_token_model
from oauth2_provider.settings import oauth2_settings

from oidc_claims.tokens.builders import key_id
from tests.factories import ApplicationFactory, AppProfileFactory
from tests.tokens_support import (
    assert_claims,
    authorize,
    code_flow,
    create_claim_set,
    expected_user_claims,
    stored_subject,
    token_request,
    verify,
)

pytestmark = pytest.mark.django_db


# The groups of the `user` fixture, ada (tests/conftest.py).
USER_GROUPS = ["engineering", "eng-ops", "sales"]


@pytest.fixture
def app():
    application = ApplicationFactory()
    AppProfileFactory(application=application, data={"label": "App label"})
    create_claim_set()
    return application


def test_code_flow_id_token_and_access_token_carry_configured_claims(client, user, app):
    client.force_login(user)
    tokens = code_flow(client, app, scope="openid email")
    expected = expected_user_claims(user, label="App label", email_scope=True)

    header, id_claims = verify(tokens["id_token"])
    assert header["kid"] == key_id()
    assert_claims(id_claims, expected)
    assert id_claims["sub"] == stored_subject(user) and id_claims["aud"] == app.client_id
    assert id_claims["nonce"] == "n-0S6_WzA2Mj"

    header, at_claims = verify(tokens["access_token"])
    assert header == {"typ": "at+jwt", "alg": "RS256", "kid": key_id()}
    assert_claims(at_claims, expected)
    assert at_claims["sub"] == stored_subject(user)
    assert at_claims["aud"] == app.client_id
    assert at_claims["client_id"] == app.client_id
    assert at_claims["scope"] == "openid email"
    lifetime = oauth2_settings.ACCESS_TOKEN_EXPIRE_SECONDS
    assert at_claims["exp"] - at_claims["iat"] == lifetime
    assert {"iss", "jti", "auth_time"} <= set(at_claims)
    # Refresh tokens stay opaque.
    assert tokens["refresh_token"].count(".") == 0


def test_scope_conditioned_claim_needs_its_scope(client, user, app):
    client.force_login(user)
    tokens = code_flow(client, app, scope="openid")
    expected = expected_user_claims(user, label="App label", email_scope=False)
    assert_claims(verify(tokens["id_token"])[1], expected)
    assert_claims(verify(tokens["access_token"])[1], expected)


@pytest.mark.parametrize(
    "response_type",
    ["id_token", "id_token token", "code id_token", "code token", "code id_token token"],
)
def test_implicit_and_hybrid_id_tokens_carry_configured_claims(client, user, app, response_type):
    app.authorization_grant_type = "openid-hybrid" if "code" in response_type else "implicit"
    app.save()
    client.force_login(user)
    status, params, response = authorize(
        client, app, response_type=response_type, scope="openid email"
    )
    assert status == 302, response.content[:500]
    expected = expected_user_claims(user, label="App label", email_scope=True)
    if "id_token" in response_type:
        _, id_claims = verify(params["id_token"])
        assert_claims(id_claims, expected)
        if "code" in response_type:
            assert "c_hash" in id_claims
    if "token" in response_type.split():
        assert_claims(verify(params["access_token"])[1], expected)
    if response_type == "code token":
        tokens = token_request(
            client,
            app,
            grant_type="authorization_code",
            code=params["code"],
            redirect_uri="https://client.example.com/callback",
        ).json()
        assert_claims(verify(tokens["id_token"])[1], expected)


def test_refresh_re_evaluates_claims(client, user, app):
    client.force_login(user)
    tokens = code_flow(client, app, scope="openid")
    from django.contrib.auth.models import Group

    user.groups.add(Group.objects.create(name="eng-new"))
    refreshed = token_request(
        client, app, grant_type="refresh_token", refresh_token=tokens["refresh_token"]
    ).json()
    expected = expected_user_claims(user, label="App label", email_scope=False)
    assert "eng-new" in expected["groups"]
    assert_claims(verify(refreshed["id_token"])[1], expected)
    assert_claims(verify(refreshed["access_token"])[1], expected)


def test_client_credentials_access_token_has_app_claims_only(client):
    app = ApplicationFactory(authorization_grant_type="client-credentials")
    AppProfileFactory(application=app, data={"label": "Service"})
    create_claim_set()
    response = token_request(client, app, grant_type="client_credentials")
    assert response.status_code == 200, response.content
    _, claims = verify(response.json()["access_token"])
    assert claims["sub"] == app.client_id
    assert claims["app_label"] == "Service"
    assert "auth_time" not in claims
    # User expressions are null without a user, so they are omitted.
    assert "login_name" not in claims and "retired" not in claims


def test_password_grant_access_token(client, user):
    app = ApplicationFactory(authorization_grant_type="password")
    create_claim_set()
    response = token_request(
        client, app, grant_type="password", username="ada", password="password", scope="openid"
    )
    assert response.status_code == 200, response.content
    _, claims = verify(response.json()["access_token"])
    assert claims["sub"] == stored_subject(user)
    assert claims["login_name"] == "ada"


def test_audience_from_profile_then_setting_then_client_id(client):
    app = ApplicationFactory(authorization_grant_type="client-credentials")

    def aud():
        token = token_request(client, app, grant_type="client_credentials").json()["access_token"]
        return verify(token)[1]["aud"]

    assert aud() == app.client_id
    with override_settings(OIDC_CLAIMS={"ACCESS_TOKEN_AUDIENCE": "https://api.example.com"}):
        assert aud() == "https://api.example.com"
    AppProfileFactory(application=app, access_token_audience="https://a.example https://b.example")
    assert aud() == ["https://a.example", "https://b.example"]


def test_opaque_mode_keeps_dot_tokens(client, user, app):
    client.force_login(user)
    with override_settings(OIDC_CLAIMS={"ACCESS_TOKEN_FORMAT": "opaque"}):
        tokens = code_flow(client, app, scope="openid")
    assert tokens["access_token"].count(".") == 0
    assert get_access_token_model().objects.filter(user=user).count() == 1
    # The ID token still carries the claims.
    assert_claims(
        verify(tokens["id_token"])[1],
        expected_user_claims(user, label="App label", email_scope=False),
    )


def test_expression_error_omits_the_claim_only(client, user, app):
    from tests.factories import ClaimDefinitionFactory

    ClaimDefinitionFactory(
        name="broken", value="Convert.toInt(user.email)", include_in_access_token=True
    )
    client.force_login(user)
    tokens = code_flow(client, app, scope="openid")
    _, claims = verify(tokens["id_token"])
    assert "broken" not in claims and claims["login_name"] == "ada"


def test_group_limit_gives_an_oauth_error_naming_the_claim(client, user, app):
    from oidc_claims.models import ClaimDefinition

    ClaimDefinition.objects.filter(name="groups").update(group_limit=1)
    client.force_login(user)
    from tests.tokens_support import pkce_pair

    verifier, challenge = pkce_pair()
    _, params, _ = authorize(
        client, app, scope="openid", code_challenge=challenge, code_challenge_method="S256"
    )
    response = token_request(
        client,
        app,
        grant_type="authorization_code",
        code=params["code"],
        redirect_uri="https://client.example.com/callback",
        code_verifier=verifier,
    )
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid_request"
    assert "'groups'" in body["error_description"] and "limit of 1" in body["error_description"]
    assert not get_access_token_model().objects.exists()

    app.authorization_grant_type = "implicit"
    app.save()
    status, params, _ = authorize(client, app, response_type="id_token token", scope="openid")
    assert status == 302 and params["error"] == "invalid_request"
    assert "limit of 1" in params["error_description"]


def test_discovery_lists_identity_claims_and_claims_parameter(client, app):
    data = client.get("/o/.well-known/openid-configuration").json()
    assert data["claims_parameter_supported"] is True
    assert {"sub", "login_name", "groups", "app_label", "contact"} <= set(data["claims_supported"])
    assert "retired" not in data["claims_supported"]
