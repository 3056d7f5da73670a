"""RFC 8707 resource indicators select the access token's audience, within each application's
allow list; the claims API and the demo API accept only tokens meant for them."""

from __future__ import annotations

import pytest
from django.test import override_settings
from oauth2_provider.models import AccessToken

from tests.api_helpers import user_with
from tests.factories import ApplicationFactory, AppProfileFactory, UserFactory
from tests.tokens_support import (
    CLAIMS_API_AUDIENCE,
    DEMO_API_AUDIENCE,
    authorize,
    code_flow,
    pkce_pair,
    token_request,
    verify,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.urls_resource")]

API = "https://api.example.com/"
DEMO_API = DEMO_API_AUDIENCE
# An audience configured for both APIs (DOT also checks a requested resource as a URL prefix).
SITE_APIS = "http://testserver/api/"


@pytest.fixture
def app():
    application = ApplicationFactory()
    AppProfileFactory(
        application=application, allowed_resources=f"{API} {DEMO_API} {SITE_APIS}"
    )
    return application


@pytest.fixture
def logged_in(client):
    client.force_login(UserFactory(username="ada"))
    return client


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_the_resource_parameter_selects_the_audience(logged_in, app):
    tokens = code_flow(logged_in, app, scope="openid api.read", resource=API)
    _, claims = verify(tokens["access_token"])
    assert claims["aud"] == API
    assert AccessToken.objects.get().resource == [API]
    # The ID token stays the client's.
    _, id_token = verify(tokens["id_token"])
    assert id_token["aud"] == app.client_id


def test_without_a_resource_the_audience_is_the_default(logged_in, app):
    tokens = code_flow(logged_in, app, scope="openid")
    _, claims = verify(tokens["access_token"])
    assert claims["aud"] == app.client_id


@pytest.mark.parametrize("resource", ["https://evil.example/", "https://api.example.com/other"])
def test_a_resource_the_client_may_not_ask_for_is_invalid_target(logged_in, app, resource):
    verifier, challenge = pkce_pair()
    _, params, _ = authorize(
        logged_in, app, code_challenge=challenge, code_challenge_method="S256"
    )
    response = token_request(
        logged_in,
        app,
        grant_type="authorization_code",
        code=params["code"],
        redirect_uri=app.redirect_uris,
        code_verifier=verifier,
        resource=resource,
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_target"
    assert resource in response.json()["error_description"]
    assert not AccessToken.objects.exists()


def test_a_resource_named_at_the_authorization_endpoint_is_checked_too(logged_in, app):
    verifier, challenge = pkce_pair()
    _, params, _ = authorize(
        logged_in,
        app,
        code_challenge=challenge,
        code_challenge_method="S256",
        resource="https://evil.example/",
    )
    response = token_request(
        logged_in,
        app,
        grant_type="authorization_code",
        code=params["code"],
        redirect_uri=app.redirect_uris,
        code_verifier=verifier,
    )
    assert response.status_code == 400 and response.json()["error"] == "invalid_target"


def test_client_credentials_and_refresh_tokens_take_a_resource(logged_in, app):
    service = ApplicationFactory(authorization_grant_type="client-credentials", redirect_uris="")
    AppProfileFactory(application=service, allowed_resources=API)
    issued = token_request(logged_in, service, grant_type="client_credentials", resource=API)
    assert verify(issued.json()["access_token"])[1]["aud"] == API
    refused = token_request(
        logged_in, service, grant_type="client_credentials", resource="https://evil.example/"
    )
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_target"

    tokens = code_flow(logged_in, app, scope="openid api.read")
    narrowed = token_request(
        logged_in, app, grant_type="refresh_token", refresh_token=tokens["refresh_token"],
        resource=API,
    )
    assert narrowed.status_code == 200, narrowed.content
    assert verify(narrowed.json()["access_token"])[1]["aud"] == API


def test_opaque_tokens_are_held_to_the_allow_list_too(logged_in, app):
    service = ApplicationFactory(authorization_grant_type="client-credentials", redirect_uris="")
    with override_settings(OIDC_CLAIMS={"ACCESS_TOKEN_FORMAT": "opaque"}):
        refused = token_request(
            logged_in, service, grant_type="client_credentials", resource=API
        )
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_target"


def test_the_demo_api_accepts_only_tokens_for_it(logged_in, app, settings):
    default = code_flow(logged_in, app, scope="openid api.read")["access_token"]
    for_demo = code_flow(logged_in, app, scope="openid api.read", resource=DEMO_API)
    for_other_api = code_flow(logged_in, app, scope="openid api.read", resource=API)
    assert logged_in.get("/api/hello", **bearer(for_demo["access_token"])).status_code == 200
    assert logged_in.get("/api/hello", **bearer(default)).status_code == 403
    assert logged_in.get("/api/hello", **bearer(for_other_api["access_token"])).status_code == 403

    for_site_apis = code_flow(logged_in, app, scope="openid api.read", resource=SITE_APIS)
    assert logged_in.get("/api/hello", **bearer(for_site_apis["access_token"])).status_code == 403
    settings.DEMO_API_AUDIENCE = SITE_APIS
    assert logged_in.get("/api/hello", **bearer(for_site_apis["access_token"])).status_code == 200
    assert logged_in.get("/api/hello", **bearer(for_demo["access_token"])).status_code == 403


def test_the_claims_api_accepts_only_tokens_for_it(client):
    user = user_with("view_claimdefinition")
    application = ApplicationFactory()
    AppProfileFactory(
        application=application, allowed_resources=f"{CLAIMS_API_AUDIENCE} {API} {SITE_APIS}"
    )
    client.force_login(user)
    scope = "openid claims.read"
    for_api = code_flow(client, application, scope=scope, resource=CLAIMS_API_AUDIENCE)
    default = code_flow(client, application, scope=scope)
    for_other_api = code_flow(client, application, scope=scope, resource=API)
    for_site_apis = code_flow(client, application, scope=scope, resource=SITE_APIS)
    client.logout()

    assert client.get("/api/v1/claims/", **bearer(for_api["access_token"])).status_code == 200
    refused = client.get("/api/v1/claims/", **bearer(default["access_token"]))
    assert refused.status_code == 401
    assert CLAIMS_API_AUDIENCE in refused.json()["detail"]
    assert 'error="invalid_token"' in refused["WWW-Authenticate"]
    other = client.get("/api/v1/claims/", **bearer(for_other_api["access_token"]))
    assert other.status_code == 401

    assert client.get("/api/v1/claims/", **bearer(for_site_apis["access_token"])).status_code == 401
    with override_settings(OIDC_CLAIMS={"API_AUDIENCE": SITE_APIS}):
        assert client.get(
            "/api/v1/claims/", **bearer(for_site_apis["access_token"])
        ).status_code == 200
