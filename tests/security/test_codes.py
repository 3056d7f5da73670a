"""Authorization codes and refresh tokens (RFC 6749 sections 4.1.2, 4.1.3; RFC 9700 4.14.2):
a replayed code or refresh token revokes what was issued from it; redirect_uri is bound."""

from __future__ import annotations

import pytest

from tests.factories import ApplicationFactory, UserFactory
from tests.tokens_support import REDIRECT_URI, authorize, basic_auth, pkce_pair, token_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def app(client):
    client.force_login(UserFactory(username="ada"))
    return ApplicationFactory()


def issue_code(client, app) -> tuple[str, str]:
    verifier, challenge = pkce_pair()
    status, params, _ = authorize(
        client, app, code_challenge=challenge, code_challenge_method="S256"
    )
    assert status == 302 and "code" in params, params
    return params["code"], verifier


def exchange(client, app, code: str, verifier: str, **extra: str):
    data = {"redirect_uri": REDIRECT_URI, **extra}
    return token_request(
        client, app, grant_type="authorization_code", code=code, code_verifier=verifier, **data
    )


def refresh(client, app, refresh_token: str):
    return token_request(client, app, grant_type="refresh_token", refresh_token=refresh_token)


def userinfo_status(client, access_token: str) -> int:
    return client.get("/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {access_token}").status_code


def introspected(client, app, token: str) -> dict:
    response = client.post(
        "/o/introspect/", {"token": token}, HTTP_AUTHORIZATION=basic_auth(app.client_id)
    )
    return response.json()


def assert_dead(client, app, tokens: dict) -> None:
    assert userinfo_status(client, tokens["access_token"]) == 401
    assert introspected(client, app, tokens["access_token"]) == {"active": False}
    refused = refresh(client, app, tokens["refresh_token"])
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"


def assert_alive(client, app, tokens: dict) -> None:
    assert userinfo_status(client, tokens["access_token"]) == 200
    assert introspected(client, app, tokens["access_token"])["active"] is True


def test_code_replay_revokes_the_tokens_of_the_first_exchange(client, app):
    code, verifier = issue_code(client, app)
    first = exchange(client, app, code, verifier).json()
    assert_alive(client, app, first)

    replay = exchange(client, app, code, verifier)
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"
    assert_dead(client, app, first)


def test_code_replay_also_revokes_refreshed_descendants(client, app):
    code, verifier = issue_code(client, app)
    first = exchange(client, app, code, verifier).json()
    second = refresh(client, app, first["refresh_token"]).json()
    assert_alive(client, app, second)

    assert exchange(client, app, code, verifier).status_code == 400
    assert_dead(client, app, second)


def test_code_replay_leaves_other_codes_tokens_alone(client, app):
    code, verifier = issue_code(client, app)
    exchange(client, app, code, verifier)
    other_code, other_verifier = issue_code(client, app)
    other = exchange(client, app, other_code, other_verifier).json()

    assert exchange(client, app, code, verifier).status_code == 400
    assert_alive(client, app, other)


def test_refresh_token_reuse_revokes_the_whole_family(client, app):
    code, verifier = issue_code(client, app)
    first = exchange(client, app, code, verifier).json()
    second = refresh(client, app, first["refresh_token"]).json()
    third = refresh(client, app, second["refresh_token"]).json()
    assert_alive(client, app, third)

    reused = refresh(client, app, first["refresh_token"])
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"
    # The replacement of the reused token, its descendant and their access tokens are gone.
    assert_dead(client, app, third)
    assert refresh(client, app, second["refresh_token"]).status_code == 400


def test_redirect_uri_is_required_at_the_token_endpoint(client, app):
    code, verifier = issue_code(client, app)
    token_data = {"grant_type": "authorization_code", "code": code, "code_verifier": verifier}
    missing = token_request(client, app, **token_data)
    assert missing.status_code == 400
    assert missing.json()["error"] == "invalid_request"
    assert "redirect_uri is required" in missing.json()["error_description"]

    # Another URI registered for the client is still not the one the code was issued for.
    app.redirect_uris = f"{REDIRECT_URI} https://client.example.com/other"
    app.save()
    other = token_request(
        client, app, redirect_uri="https://client.example.com/other", **token_data
    )
    assert other.status_code == 400 and other.json()["error"] == "invalid_request"

    assert exchange(client, app, code, verifier).status_code == 200
