"""JWTAccessTokenAuthentication refuses every token that is not an RS256 access token of
this issuer, valid now: alg confusion, unsecured tokens, ID tokens, missing or future times."""

from __future__ import annotations

import base64
import json
import time
from urllib.error import URLError

import pytest
from django.test import override_settings
from jwcrypto import jwk

from oidc_claims.contrib.rest_framework.keys import local_key_set
from oidc_claims.preview.build import unsecured_jwt
from oidc_claims.tokens.builders import access_token_header, sign_jwt, signing_key
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


def payload(**overrides) -> dict:
    return access_token_claims_for(ISSUER, **overrides)


def get(client, token: str):
    return client.get("/drf/local", HTTP_AUTHORIZATION=f"Bearer {token}")


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_a_genuine_token_is_accepted(client):
    # The baseline the refusals below are measured against.
    assert get(client, sign_jwt(payload(), access_token_header())).status_code == 200


def test_an_unsecured_token_is_refused(client):
    # What the token preview shows (alg none) is no token a resource server accepts.
    assert get(client, unsecured_jwt(access_token_header(), payload())).status_code == 401


def test_hs256_signed_with_the_public_key_is_refused(client):
    # The classic confusion: the RSA public key (which anyone can fetch) used as HMAC secret.
    public = next(iter(local_key_set()["keys"]))
    secret = public.export_to_pem()
    hmac_key = jwk.JWK(kty="oct", k=b64(secret))
    header = {**access_token_header(), "alg": "HS256"}
    assert get(client, sign_jwt(payload(), header, hmac_key)).status_code == 401


def test_another_rsa_algorithm_is_refused(client):
    header = {**access_token_header(), "alg": "RS512"}
    assert get(client, sign_jwt(payload(), header, signing_key())).status_code == 401


@pytest.mark.parametrize(
    "overrides",
    [
        {"exp": None},
        {"nbf": int(time.time()) + 3600},
        {"exp": "tomorrow"},
    ],
    ids=["no-exp", "not-yet-valid", "exp-not-a-number"],
)
def test_tokens_without_a_valid_lifetime_are_refused(client, overrides):
    assert get(client, sign_jwt(payload(**overrides), access_token_header())).status_code == 401


def test_an_id_token_is_refused(client):
    app = ApplicationFactory()
    AppProfileFactory(application=app, access_token_audience=LOCAL_API_AUDIENCE)
    create_claim_set()
    client.force_login(UserFactory(username="ada", groups=["engineering"]))
    tokens = code_flow(client, app, scope="openid api.read")
    client.logout()
    assert get(client, tokens["access_token"]).status_code == 200
    response = get(client, tokens["id_token"])
    assert response.status_code == 401
    assert "typ" in response.json()["detail"]


@pytest.mark.parametrize(
    "token",
    [
        "a.b.c",
        "..",
        b64(b'"text"') + "." + b64(b"{}") + ".",
        b64(json.dumps({"typ": ["at+jwt"]}).encode()) + "." + b64(b"{}") + ".sig",
        b64(json.dumps({"typ": "at+jwt", "alg": "RS256", "kid": ["x"]}).encode())
        + "."
        + b64(b"{}")
        + ".sig",
    ],
    ids=["garbage", "empty-parts", "header-not-object", "typ-list", "kid-list"],
)
def test_malformed_tokens_are_401_not_500(client, token):
    with override_settings(OIDC_CLAIMS=local_api_settings(RESOURCE_SERVER_JWKS_URL=JWKS_URL)):
        response = get(client, token)
    assert response.status_code == 401


def test_an_unreachable_jwks_is_503_not_500(client, monkeypatch):
    from oidc_claims.contrib.rest_framework import keys

    def unreachable(url):
        raise URLError("connection refused")

    monkeypatch.setattr(keys, "fetch_key_set_document", unreachable)
    with override_settings(OIDC_CLAIMS=local_api_settings(RESOURCE_SERVER_JWKS_URL=JWKS_URL)):
        response = get(client, sign_jwt(payload(), access_token_header()))
    assert response.status_code == 503
    assert "keys" in response.json()["detail"]
