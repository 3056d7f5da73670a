"""JWTAccessTokenAuthentication (local validation, no database) and the HasClaim permission."""

from __future__ import annotations

import time

import pytest
from django.test import override_settings

from oidc_claims.tokens.builders import access_token_header, sign_jwt
from tests.factories import ApplicationFactory, AppProfileFactory, UserFactory
from tests.tokens_support import (
    LOCAL_API_AUDIENCE,
    LOCAL_API_MARKS,
    LOCAL_ISSUER,
    LOCAL_JWKS_URL,
    access_token_claims_for,
    code_flow,
    create_claim_set,
    local_api_settings,
)

pytestmark = LOCAL_API_MARKS

ISSUER = LOCAL_ISSUER
JWKS_URL = LOCAL_JWKS_URL


@pytest.fixture
def app():
    application = ApplicationFactory()
    AppProfileFactory(
        application=application, data={"label": "API"}, access_token_audience=LOCAL_API_AUDIENCE
    )
    create_claim_set()
    return application


def issued_token(client, app, username: str, groups: list[str]) -> str:
    user = UserFactory(username=username, email=f"{username}@example.com", groups=groups)
    client.force_login(user)
    token = code_flow(client, app, scope="openid api.read")["access_token"]
    client.logout()
    return token


def forged(**overrides) -> str:
    header = access_token_header()
    header.update(overrides.pop("header", {}))
    return sign_jwt(
        access_token_claims_for(ISSUER, **{"groups": ["engineering"], **overrides}), header
    )


def get(client, path: str, token: str):
    return client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_valid_token_is_accepted_without_a_database_query(client, app, django_assert_num_queries):
    token = issued_token(client, app, "ada", ["engineering"])
    with django_assert_num_queries(0):
        response = get(client, "/drf/local", token)
    assert response.status_code == 200, response.content
    assert response.json()["groups"] == ["engineering"]


def test_has_claim_permission(client, app):
    assert (
        get(
            client, "/drf/engineering", issued_token(client, app, "ada", ["engineering"])
        ).status_code
        == 200
    )
    assert (
        get(client, "/drf/engineering", issued_token(client, app, "bob", ["sales"])).status_code
        == 403
    )


def test_scope_is_still_required(client):
    assert get(client, "/drf/local", forged(scope="openid")).status_code == 403
    assert get(client, "/drf/local", forged()).status_code == 200


@pytest.mark.parametrize(
    "token_kwargs, detail",
    [
        ({"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200}, "expired"),
        ({"iss": "https://evil.example/o"}, "issuer"),
        ({"header": {"typ": "JWT"}}, "typ"),
    ],
)
def test_invalid_tokens_are_rejected(client, token_kwargs, detail):
    response = get(client, "/drf/local", forged(**token_kwargs))
    assert response.status_code == 401
    assert detail in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_wrong_audience_is_rejected(client):
    other_api = "https://other-api.example.com/"
    assert get(client, "/drf/local", forged(aud=other_api)).status_code == 401
    assert get(client, "/drf/local", forged(aud=[other_api, LOCAL_API_AUDIENCE])).status_code == 200


def test_without_a_configured_audience_every_token_is_refused(client, settings, caplog):
    settings.OIDC_CLAIMS = {}
    response = get(client, "/drf/local", forged())
    assert response.status_code == 401
    assert response.json()["detail"] == "The access token is not meant for this API."
    assert "RESOURCE_SERVER_AUDIENCE" in caplog.text


def test_tampered_token_is_rejected(client):
    header, payload, signature = forged().split(".")
    other_payload = forged(groups=["engineering", "admins"]).split(".")[1]
    response = get(client, "/drf/local", f"{header}.{other_payload}.{signature}")
    assert response.status_code == 401
    assert "invalid" in response.json()["detail"]


def test_token_signed_by_another_key_is_rejected(client):
    from jwcrypto import jwk

    other = jwk.JWK.generate(kty="RSA", size=2048)
    now = int(time.time())
    token = sign_jwt(
        {"iss": ISSUER, "sub": "1", "aud": "a", "scope": "api.read", "iat": now, "exp": now + 60},
        access_token_header(),
        other,
    )
    assert get(client, "/drf/local", token).status_code == 401


def test_remote_jwks_is_fetched_once_and_cached(client, monkeypatch):
    from oidc_claims.contrib.rest_framework import keys

    document = {"keys": [dict(k.export_public(as_dict=True)) for k in keys.local_key_set()]}
    calls = []
    monkeypatch.setattr(keys, "fetch_key_set_document", lambda url: calls.append(url) or document)
    with override_settings(OIDC_CLAIMS=local_api_settings(RESOURCE_SERVER_JWKS_URL=JWKS_URL)):
        assert get(client, "/drf/local", forged()).status_code == 200
        assert get(client, "/drf/local", forged()).status_code == 200
    assert calls == ["https://idp.example/jwks"]
