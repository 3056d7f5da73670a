"""PKCE at /o/authorize/ and /o/token/ (RFC 9700 section 2.1.1, RFC 7636): S256 only,
well-formed verifiers, and no verifier for a code issued without a challenge."""

from __future__ import annotations

import base64
import hashlib

import pytest
from django.conf import settings
from django.test import override_settings

from tests.factories import ApplicationFactory, UserFactory
from tests.tokens_support import REDIRECT_URI, authorize, pkce_pair, token_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def app(client):
    client.force_login(UserFactory(username="ada"))
    return ApplicationFactory()


def s256(verifier: str) -> str:
    return (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )


def exchange(client, app, code: str, **extra: str):
    return token_request(
        client,
        app,
        grant_type="authorization_code",
        code=code,
        redirect_uri=REDIRECT_URI,
        **extra,
    )


def test_s256_code_flow_works(client, app):
    verifier, challenge = pkce_pair()
    status, params, _ = authorize(
        client, app, code_challenge=challenge, code_challenge_method="S256"
    )
    assert status == 302 and "code" in params
    response = exchange(client, app, params["code"], code_verifier=verifier)
    assert response.status_code == 200, response.content
    assert response.json()["access_token"]


@pytest.mark.parametrize("method", [{"code_challenge_method": "plain"}, {}])
def test_plain_challenge_is_refused_with_invalid_request(client, app, method):
    # Without code_challenge_method, RFC 7636 means "plain".
    verifier = "v" * 43
    status, params, _ = authorize(client, app, code_challenge=verifier, **method)
    assert status == 302
    assert params["error"] == "invalid_request"
    assert "S256" in params["error_description"]
    assert "code" not in params


def test_malformed_s256_challenge_is_refused(client, app):
    status, params, _ = authorize(client, app, code_challenge="abc", code_challenge_method="S256")
    assert status == 302 and params["error"] == "invalid_request" and "code" not in params


@pytest.mark.parametrize(
    "verifier",
    [
        "abc",  # the 3-character verifier that was accepted before
        "a" * 42,
        "a" * 129,
        "a" * 42 + "+",  # outside the RFC 7636 alphabet
    ],
)
def test_malformed_verifier_is_refused(client, app, verifier):
    status, params, _ = authorize(
        client, app, code_challenge=s256(verifier), code_challenge_method="S256"
    )
    assert status == 302 and "code" in params
    response = exchange(client, app, params["code"], code_verifier=verifier)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"
    assert "43 to 128" in response.json()["error_description"]


@pytest.mark.parametrize("length", [43, 128])
def test_verifiers_of_43_and_128_characters_are_accepted(client, app, length):
    verifier = ("Az09-._~" * 17)[:length]
    status, params, _ = authorize(
        client, app, code_challenge=s256(verifier), code_challenge_method="S256"
    )
    response = exchange(client, app, params["code"], code_verifier=verifier)
    assert response.status_code == 200, response.content


def test_verifier_without_challenge_is_a_refused_downgrade(client, app):
    # A confidential client may skip PKCE; a verifier at /token for such a code is refused.
    status, params, _ = authorize(client, app)
    assert status == 302 and "code" in params
    verifier, _ = pkce_pair()
    response = exchange(client, app, params["code"], code_verifier=verifier)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    assert "no code_challenge" in response.json()["error_description"]
    # The same code without the verifier is still the client's to exchange.
    assert exchange(client, app, params["code"]).status_code == 200


def test_wrong_verifier_is_refused(client, app):
    _, challenge = pkce_pair()
    status, params, _ = authorize(
        client, app, code_challenge=challenge, code_challenge_method="S256"
    )
    other, _ = pkce_pair()
    response = exchange(client, app, params["code"], code_verifier=other)
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


def test_pkce_required_for_public_clients_is_kept(client):
    client.force_login(UserFactory(username="bea"))
    public = ApplicationFactory(client_type="public")
    status, params, _ = authorize(client, public)
    assert status == 302 and params["error"] == "invalid_request" and "code" not in params


@pytest.mark.filterwarnings("ignore:The PKCE:DeprecationWarning")  # DOT's, expected here
def test_plain_is_accepted_where_the_site_allows_it(client, app):
    dot = {**settings.OAUTH2_PROVIDER, "COMPLIANT_BCP_RFC9700_PKCE_METHOD": False}
    with override_settings(OIDC_CLAIMS={"PKCE_METHODS": ["S256", "plain"]}, OAUTH2_PROVIDER=dot):
        verifier = "p" * 50
        status, params, _ = authorize(
            client, app, code_challenge=verifier, code_challenge_method="plain"
        )
        assert status == 302 and "code" in params, params
        assert exchange(client, app, params["code"], code_verifier=verifier).status_code == 200


def test_discovery_announces_s256_only(client):
    metadata = client.get("/o/.well-known/openid-configuration").json()
    assert metadata["code_challenge_methods_supported"] == ["S256"]
