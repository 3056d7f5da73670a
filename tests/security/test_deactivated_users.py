"""A deactivated or deleted user's tokens and codes are refused wherever they are presented."""

from __future__ import annotations

import pytest

from tests.api_helpers import CLAIM_PERMS
from tests.factories import ApplicationFactory, AppProfileFactory, UserFactory
from tests.tokens_support import (
    SITE_API_AUDIENCES,
    authorize,
    basic_auth,
    code_flow,
    exchange_code,
    pkce_pair,
    token_request,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.urls_resource")]

SCOPE = "openid api.read claims.read"


@pytest.fixture
def user():
    from django.contrib.auth.models import Permission

    ada = UserFactory(username="ada")
    ada.user_permissions.add(*Permission.objects.filter(codename__in=CLAIM_PERMS))
    return ada


@pytest.fixture
def app():
    application = ApplicationFactory()
    # Its tokens are for the demo API and the claims API.
    AppProfileFactory(application=application, access_token_audience=SITE_API_AUDIENCES)
    return application


@pytest.fixture
def tokens(client, user, app):
    client.force_login(user)
    issued = code_flow(client, app, scope=SCOPE)
    client.logout()
    assert "refresh_token" in issued
    return issued


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def resource_statuses(client, app, access: str) -> dict[str, object]:
    """What each endpoint that takes an access token answers for ``access``."""
    return {
        "userinfo": client.get("/o/userinfo/", **bearer(access)).status_code,
        "introspection": client.post(
            "/o/introspect/", {"token": access}, HTTP_AUTHORIZATION=basic_auth(app.client_id)
        ).json()["active"],
        "dot_protected_view": client.get("/api/hello", **bearer(access)).status_code,
        "drf_oauth2_authentication": client.get("/drf/dot", **bearer(access)).status_code,
        "claims_api": client.get("/api/v1/claims/", **bearer(access)).status_code,
    }


ACCEPTED = {
    "userinfo": 200,
    "introspection": True,
    "dot_protected_view": 200,
    "drf_oauth2_authentication": 200,
    "claims_api": 200,
}
REFUSED = {
    "userinfo": 401,
    "introspection": False,
    "dot_protected_view": 403,
    "drf_oauth2_authentication": 401,
    "claims_api": 401,
}


def refresh(client, app, refresh_token: str):
    return token_request(client, app, grant_type="refresh_token", refresh_token=refresh_token)


def test_a_deactivated_users_access_and_refresh_tokens_are_refused(client, user, app, tokens):
    assert resource_statuses(client, app, tokens["access_token"]) == ACCEPTED

    user.is_active = False
    user.save(update_fields=["is_active"])

    assert resource_statuses(client, app, tokens["access_token"]) == REFUSED
    userinfo = client.get("/o/userinfo/", **bearer(tokens["access_token"]))
    assert 'error="invalid_token"' in userinfo["WWW-Authenticate"]
    refused = refresh(client, app, tokens["refresh_token"])
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"

    # The refusal is the user's state, not the tokens': reactivated, both work again.
    user.is_active = True
    user.save(update_fields=["is_active"])
    assert resource_statuses(client, app, tokens["access_token"]) == ACCEPTED
    renewed = refresh(client, app, tokens["refresh_token"])
    assert renewed.status_code == 200, renewed.content


def test_a_code_issued_before_deactivation_gives_no_tokens(client, user, app):
    client.force_login(user)
    verifier, challenge = pkce_pair()
    status, params, _ = authorize(
        client, app, scope=SCOPE, code_challenge=challenge, code_challenge_method="S256"
    )
    assert status == 302 and "code" in params
    user.is_active = False
    user.save(update_fields=["is_active"])

    response = exchange_code(client, app, params["code"], verifier)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    assert "access_token" not in response.json()


def test_a_deleted_users_tokens_are_refused(client, user, app, tokens):
    user.delete()

    assert resource_statuses(client, app, tokens["access_token"]) == REFUSED
    refused = refresh(client, app, tokens["refresh_token"])
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"


def test_client_credentials_tokens_have_no_user_to_deactivate(client):
    service = ApplicationFactory(authorization_grant_type="client-credentials", redirect_uris="")
    AppProfileFactory(application=service, access_token_audience=SITE_API_AUDIENCES)
    issued = token_request(client, service, grant_type="client_credentials", scope="api.read")
    access = issued.json()["access_token"]
    assert client.get("/api/hello", **bearer(access)).status_code == 200
    assert client.post(
        "/o/introspect/", {"token": access}, HTTP_AUTHORIZATION=basic_auth(service.client_id)
    ).json()["active"] is True


def test_refresh_tokens_expire_in_the_example_project(client, app, tokens, settings):
    from datetime import timedelta

    from django.utils import timezone
    from oauth2_provider.models import AccessToken

    lifetime = settings.OAUTH2_PROVIDER["REFRESH_TOKEN_EXPIRE_SECONDS"]
    assert lifetime == 14 * 24 * 3600
    assert settings.OAUTH2_PROVIDER["ACCESS_TOKEN_EXPIRE_SECONDS"] <= 600
    # DOT counts a refresh token's lifetime from the expiry of its access token.
    AccessToken.objects.update(expires=timezone.now() - timedelta(seconds=lifetime + 1))

    refused = refresh(client, app, tokens["refresh_token"])
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"
