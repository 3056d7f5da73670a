"""JWT access tokens with DOT's machinery: resource views, DRF, introspection, revocation."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from tests.factories import ApplicationFactory, AppProfileFactory
from tests.tokens_support import (
    SITE_API_AUDIENCES,
    basic_auth,
    code_flow,
    create_claim_set,
    profile_queries,
    stored_subject,
    verify,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.urls_resource")]


# The groups of the `user` fixture, ada (tests/conftest.py).
USER_GROUPS = ["engineering", "sales"]


@pytest.fixture
def app():
    application = ApplicationFactory()
    AppProfileFactory(
        application=application,
        data={"label": "Resource app"},
        access_token_audience=SITE_API_AUDIENCES,
    )
    create_claim_set()
    return application


@pytest.fixture
def tokens(client, user, app):
    client.force_login(user)
    result = code_flow(client, app, scope="openid api.read")
    client.logout()
    return result


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def introspect(client, app, token: str):
    return client.post(
        "/o/introspect/", {"token": token}, HTTP_AUTHORIZATION=basic_auth(app.client_id)
    )


def test_jwt_access_token_accepted_everywhere_then_rejected_after_revocation(
    client, app, user, tokens
):
    access = tokens["access_token"]
    assert client.get("/api/hello", **bearer(access)).status_code == 200
    assert client.get("/drf/dot", **bearer(access)).json() == {"user": user.pk}
    assert client.get("/drf/dot-engineering", **bearer(access)).status_code == 200
    assert client.get("/o/userinfo/", **bearer(access)).status_code == 200
    active = introspect(client, app, access).json()
    assert active["active"] is True

    response = client.post(
        "/o/revoke_token/",
        {"token": access, "token_type_hint": "access_token"},
        HTTP_AUTHORIZATION=basic_auth(app.client_id),
    )
    assert response.status_code == 200

    assert client.get("/api/hello", **bearer(access)).status_code == 403
    assert client.get("/drf/dot", **bearer(access)).status_code == 401
    assert client.get("/o/userinfo/", **bearer(access)).status_code == 401
    assert introspect(client, app, access).json() == {"active": False}


def test_introspection_returns_the_access_token_claims(client, app, user, tokens):
    body = introspect(client, app, tokens["access_token"]).json()
    assert body["active"] is True
    assert body["client_id"] == app.client_id
    assert body["username"] == "ada"
    assert body["scope"] == "openid api.read"
    assert body["sub"] == stored_subject(user)
    assert body["groups"] == ["engineering"]
    assert body["app_label"] == "Resource app"
    assert body["login_name"] == "ada"
    assert isinstance(body["exp"], int)


def test_introspection_of_opaque_token_evaluates_the_claims(client, app, user):
    client.force_login(user)
    with override_settings(OIDC_CLAIMS={"ACCESS_TOKEN_FORMAT": "opaque"}):
        tokens = code_flow(client, app, scope="openid")
        assert tokens["access_token"].count(".") == 0
        with CaptureQueriesContext(connection) as queries:
            body = introspect(client, app, tokens["access_token"]).json()
    assert body["active"] is True
    assert body["groups"] == ["engineering"] and body["app_label"] == "Resource app"
    # The profile comes with the token's application, not in a query of its own.
    assert profile_queries(queries) == []
    assert body["sub"] == stored_subject(user) and body["username"] == "ada"
    assert "jti" not in body


def test_introspection_of_unknown_token_is_inactive(client, app):
    assert introspect(client, app, "not-a-token").json() == {"active": False}


def test_userinfo_get_and_post(client, user, tokens):
    for method in (client.get, client.post):
        response = method("/o/userinfo/", **bearer(tokens["access_token"]))
        assert response.status_code == 200
        body = response.json()
        assert body["sub"] == stored_subject(user)
        assert body["login_name"] == "ada" and body["groups"] == ["engineering"]
        assert body["app_label"] == "Resource app"
        assert "retired" not in body and "contact" not in body


@pytest.fixture
def standard_claims_validator(settings):
    """Swap the validator class; DOT caches one oauthlib core per view class, so reload."""
    settings.OAUTH2_PROVIDER = {
        **settings.OAUTH2_PROVIDER,
        "OAUTH2_VALIDATOR_CLASS": "tests.validators_standard.StandardClaimsValidator",
        "ALWAYS_RELOAD_OAUTHLIB_CORE": True,
    }
    yield
    from oauth2_provider.views.mixins import OAuthLibMixin

    def forget(cls):
        cls.__dict__.get("_oauthlib_core") and delattr(cls, "_oauthlib_core")
        for subclass in cls.__subclasses__():
            forget(subclass)

    forget(OAuthLibMixin)


def test_dot_standard_claims_keep_working(client, user, app, standard_claims_validator):
    client.force_login(user)
    tokens = code_flow(client, app, scope="openid email")

    _, claims = verify(tokens["id_token"])
    assert claims["email"] == "ada@example.com" and claims["login_name"] == "ada"
    # Scope-filtered by DOT's oidc_claim_scope: no profile scope, no name.
    assert "name" not in claims
    userinfo = client.get("/o/userinfo/", **bearer(tokens["access_token"])).json()
    assert userinfo["email"] == "ada@example.com" and "name" not in userinfo
