"""Introspection (RFC 7662 sections 2.1 and 4): only authenticated confidential callers, and
each sees only the tokens issued to it or for the audiences it serves."""

from __future__ import annotations

import pytest
import requests
from django.test import override_settings

from oidc_claims.checks import security as checks_security
from tests.factories import ApplicationFactory, AppProfileFactory, UserFactory
from tests.tokens_support import basic_auth, code_flow, create_claim_set, token_request

pytestmark = [pytest.mark.django_db]

API = "https://api.example.com/"


def allow_all(caller, token_application, audiences) -> bool:
    """A site's own policy, named by dotted path in a test below."""
    return caller.name.startswith("Trusted")


@pytest.fixture
def web():
    """The client the user's token is issued to; its tokens are for the API."""
    application = ApplicationFactory(name="Web")
    AppProfileFactory(application=application, data={"label": "Web"}, access_token_audience=API)
    create_claim_set()
    return application


@pytest.fixture
def access_token(client, web):
    client.force_login(UserFactory(username="ada", groups=["engineering"]))
    token = code_flow(client, web, scope="openid")["access_token"]
    client.logout()
    return token


def introspect(client, token: str, **headers):
    return client.post("/o/introspect/", {"token": token}, **headers)


def as_client(application) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": basic_auth(application.client_id)}


def test_the_tokens_own_client_sees_its_claims(client, web, access_token):
    body = introspect(client, access_token, **as_client(web)).json()
    assert body["active"] is True and body["aud"] == API
    assert body["username"] == "ada" and body["app_label"] == "Web"


def test_a_resource_server_named_in_the_audience_sees_the_claims(client, access_token):
    api = ApplicationFactory(authorization_grant_type="client-credentials", redirect_uris="")
    AppProfileFactory(application=api, resource_server_audiences=f"https://other.example/ {API}")
    body = introspect(client, access_token, **as_client(api)).json()
    assert body["active"] is True and body["username"] == "ada"


def test_another_confidential_client_is_told_inactive(client, access_token):
    other = ApplicationFactory(name="Other")
    AppProfileFactory(application=other, resource_server_audiences="https://other.example/")
    assert introspect(client, access_token, **as_client(other)).json() == {"active": False}


def test_a_client_id_in_the_audience_names_a_resource_server(client, web):
    api = ApplicationFactory(authorization_grant_type="client-credentials", redirect_uris="")
    web.oidc_claims_profile.access_token_audience = api.client_id
    web.oidc_claims_profile.save()
    client.force_login(UserFactory(username="cy"))
    token = code_flow(client, web, scope="openid")["access_token"]
    body = introspect(client, token, **as_client(api)).json()
    assert body["active"] is True and body["aud"] == api.client_id


@pytest.mark.parametrize("secret", ["", "public-secret"], ids=["client-id-only", "with-secret"])
def test_a_public_client_is_refused(client, access_token, secret):
    public = ApplicationFactory(client_type="public", client_secret=secret)
    AppProfileFactory(application=public, resource_server_audiences=API)
    data = {"token": access_token, "client_id": public.client_id}
    if secret:
        data["client_secret"] = secret
    response = client.post("/o/introspect/", data)
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert "public client" in response.json()["error_description"]
    assert "active" not in response.json()


def test_a_request_without_or_with_wrong_credentials_is_refused(client, web, access_token):
    anonymous = introspect(client, access_token)
    assert anonymous.status_code == 401 and anonymous.json()["error"] == "invalid_client"
    assert anonymous["WWW-Authenticate"].startswith("Basic")
    wrong = introspect(
        client, access_token, HTTP_AUTHORIZATION=basic_auth(web.client_id, "wrong-secret")
    )
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"


def test_a_bearer_token_needs_the_introspection_scope(client, access_token):
    api = ApplicationFactory(authorization_grant_type="client-credentials", redirect_uris="")
    AppProfileFactory(application=api, resource_server_audiences=API)

    def bearer_of(scope: str) -> dict[str, str]:
        issued = token_request(client, api, grant_type="client_credentials", scope=scope)
        return {"HTTP_AUTHORIZATION": f"Bearer {issued.json()['access_token']}"}

    body = introspect(client, access_token, **bearer_of("introspection")).json()
    assert body["active"] is True and body["username"] == "ada"

    unscoped = introspect(client, access_token, **bearer_of("api.read"))
    assert unscoped.status_code == 403 and unscoped.json()["error"] == "insufficient_scope"
    invalid = introspect(client, access_token, HTTP_AUTHORIZATION="Bearer not-a-token")
    assert invalid.status_code == 401 and invalid.json()["error"] == "invalid_token"


def test_the_policy_is_a_setting(client, access_token):
    other = ApplicationFactory(name="Trusted gateway")
    with override_settings(OIDC_CLAIMS={"INTROSPECTION_POLICY": "authenticated"}):
        assert introspect(client, access_token, **as_client(other)).json()["active"] is True
    path = f"{__name__}.allow_all"
    with override_settings(OIDC_CLAIMS={"INTROSPECTION_POLICY": path}):
        assert introspect(client, access_token, **as_client(other)).json()["active"] is True
        untrusted = ApplicationFactory(name="Untrusted")
        assert introspect(client, access_token, **as_client(untrusted)).json() == {
            "active": False
        }
    with override_settings(OIDC_CLAIMS={"INTROSPECTION_POLICY": "strict"}):
        assert introspect(client, access_token, **as_client(other)).json() == {"active": False}


@pytest.mark.parametrize("value", ["lenient", "tests.nowhere.policy", 42])
def test_e011_an_unusable_policy_is_an_error(value):
    with override_settings(OIDC_CLAIMS={"INTROSPECTION_POLICY": value}):
        [message] = checks_security.check_introspection_policy()
    assert message.id == "oidc_claims.E012"
    assert "'strict'" in message.hint


def test_e011_is_quiet_for_built_in_and_importable_policies():
    for value in ("strict", "authenticated", f"{__name__}.allow_all", allow_all):
        with override_settings(OIDC_CLAIMS={"INTROSPECTION_POLICY": value}):
            assert checks_security.check_introspection_policy() == []


@pytest.mark.django_db(transaction=True)
def test_over_http_a_public_client_learns_nothing(live_server, web):
    from oauth2_provider.models import AccessToken

    user = UserFactory(username="bob")
    spa = ApplicationFactory(client_type="public", client_secret="")
    stored = AccessToken.objects.create(
        user=user, application=web, token="opaque-token-of-web", scope="openid",
        expires="2999-01-01T00:00:00Z",
    )
    response = requests.post(
        f"{live_server.url}/o/introspect/",
        data={"token": stored.token, "client_id": spa.client_id},
        timeout=30,
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert "bob" not in response.text
