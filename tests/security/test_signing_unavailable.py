"""Without a usable signing key the endpoints answer 503 ``temporarily_unavailable`` (JSON),
log the fix for the administrators, issue nothing, and never sign with another key."""

from __future__ import annotations

import logging

import pytest
from cryptography.fernet import Fernet
from oauth2_provider.models import get_access_token_model, get_grant_model

from oidc_claims.models.key_store import forget_key_set
from oidc_claims.models.signing_keys import KeyState, SigningKey
from tests.factories import ApplicationFactory, AppProfileFactory, UserFactory
from tests.signing_support import active_key
from tests.tokens_support import (
    REDIRECT_URI,
    authorize,
    exchange_code,
    pkce_pair,
    token_request,
)

pytestmark = pytest.mark.django_db


def assert_unavailable(response, caplog, cause: str) -> None:
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["error"] == "temporarily_unavailable"
    # The client is told to come back, not which key is missing; the log names the fix.
    assert "ES256" not in body["error_description"]
    logged = [r for r in caplog.records if r.levelno == logging.ERROR and cause in r.getMessage()]
    assert logged, [r.getMessage() for r in caplog.records]


@pytest.fixture
def es256_access_tokens(settings):
    settings.OIDC_CLAIMS = {**settings.OIDC_CLAIMS, "ACCESS_TOKEN_SIGNING_ALG": "ES256"}


def test_client_credentials_without_an_active_key(client, es256_access_tokens, caplog):
    service = ApplicationFactory(authorization_grant_type="client-credentials")
    # A key published but not yet signing (a first rotation just started) does not sign.
    from oidc_claims.models.key_rotation import create_key

    create_key("ES256")
    forget_key_set()
    response = token_request(client, service, grant_type="client_credentials")
    assert_unavailable(response, caplog, "rotate_signing_keys --algorithm ES256")
    assert not get_access_token_model().objects.exists()
    # Once a key signs, the same request succeeds: nothing was left half done.
    SigningKey.objects.update(state=KeyState.ACTIVE)
    forget_key_set()
    assert token_request(client, service, grant_type="client_credentials").status_code == 200


def test_an_active_key_the_secret_does_not_open(client, es256_access_tokens, settings, caplog):
    key = active_key("ES256")
    settings.OIDC_CLAIMS = {
        **settings.OIDC_CLAIMS,
        "SIGNING_KEYS_ENCRYPTION_KEY": Fernet.generate_key().decode(),
    }
    service = ApplicationFactory(authorization_grant_type="client-credentials")
    response = token_request(client, service, grant_type="client_credentials")
    assert_unavailable(response, caplog, f"ES256 signing key {key.kid} cannot be decrypted")
    assert not get_access_token_model().objects.exists()


def test_a_code_exchange_whose_id_token_key_is_gone(client, caplog):
    key = active_key("ES256")
    app = ApplicationFactory()
    AppProfileFactory(application=app, id_token_signed_response_alg="ES256")
    client.force_login(UserFactory())
    verifier, challenge = pkce_pair()
    _, params, _ = authorize(client, app, code_challenge=challenge, code_challenge_method="S256")
    key.delete()  # removed by hand, behind the rotation's back
    response = exchange_code(client, app, params["code"], verifier)
    assert_unavailable(response, caplog, "No active ES256 signing key")
    assert not get_access_token_model().objects.filter(application=app).exists()
    # Nothing was saved or spent: once a key signs again, the user's code still works, once.
    assert get_grant_model().objects.filter(code=params["code"]).exists()
    active_key("ES256")
    forget_key_set()
    tokens = exchange_code(client, app, params["code"], verifier)
    assert tokens.status_code == 200 and "id_token" in tokens.json()
    assert exchange_code(client, app, params["code"], verifier).status_code == 400


@pytest.mark.parametrize("response_type", ["id_token", "code id_token"])
def test_the_authorization_endpoint_redirects_with_the_error(client, caplog, response_type):
    key = active_key("ES256")
    grant = "implicit" if response_type == "id_token" else "openid-hybrid"
    app = ApplicationFactory(authorization_grant_type=grant)
    AppProfileFactory(application=app, id_token_signed_response_alg="ES256")
    client.force_login(UserFactory())
    key.delete()
    status, params, response = authorize(client, app, response_type=response_type)
    # RFC 6749 4.1.2.1: the error goes back to the client's redirect URI, with its state.
    assert status == 302 and response["Location"].startswith(REDIRECT_URI)
    assert params["error"] == "temporarily_unavailable" and params["state"] == "st"
    assert "id_token" not in params and "code" not in params
    logged = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert any("No active ES256 signing key" in message for message in logged)


def test_the_json_backstop_for_any_other_signing_path(client, monkeypatch, caplog):
    # A signing failure outside oauthlib's flows (a site's view, a new endpoint) is still a
    # 503 temporarily_unavailable, not a 500.
    from oidc_claims.exceptions import SigningUnavailable

    def no_key(*args, **kwargs):
        raise SigningUnavailable("No active ES256 signing key: run rotate_signing_keys")

    monkeypatch.setattr("oidc_claims.oauth.views.jwks.ClaimsJwksInfoView.get", no_key)
    response = client.get("/o/.well-known/jwks.json")
    assert_unavailable(response, caplog, "rotate_signing_keys")


def test_a_refresh_without_a_key_keeps_the_refresh_token(client, settings, caplog):
    app = ApplicationFactory()
    client.force_login(UserFactory())
    verifier, challenge = pkce_pair()
    _, params, _ = authorize(client, app, code_challenge=challenge, code_challenge_method="S256")
    tokens = exchange_code(client, app, params["code"], verifier).json()
    # The site switches its access tokens to ES256 before any ES256 key signs.
    settings.OIDC_CLAIMS = {**settings.OIDC_CLAIMS, "ACCESS_TOKEN_SIGNING_ALG": "ES256"}
    refresh = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
    assert_unavailable(token_request(client, app, **refresh), caplog, "ES256")
    # The refresh token was neither spent nor revoked: it works once a key signs.
    active_key("ES256")
    forget_key_set()
    refreshed = token_request(client, app, **refresh)
    assert refreshed.status_code == 200, refreshed.content
    assert refreshed.json()["refresh_token"] != tokens["refresh_token"]
