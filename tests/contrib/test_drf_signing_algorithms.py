"""JWTAccessTokenAuthentication with every signing algorithm: it accepts ES256, EdDSA and RS256
tokens of the configured algorithms, picks the key by kid (fetching the JWKS again, rarely, for
an unknown one) and refuses alg none, HS* with a public key and key/algorithm mismatches."""

from __future__ import annotations

import base64

import pytest
from django.test import override_settings
from jwcrypto import jwk

from oidc_claims.models.key_encryption import decrypt_private_key
from oidc_claims.models.key_rotation import start_rotation
from oidc_claims.models.key_store import published_keys
from oidc_claims.models.signing_keys import KeyState, SigningKey
from oidc_claims.preview.token_sizes import unsecured_jwt
from oidc_claims.tokens.builders import access_token_signature, sign_jwt
from tests.signing_support import ALGORITHMS, active_key
from tests.tokens_support import access_token_claims_for, local_api_settings

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("tests.urls_resource"),
    pytest.mark.usefixtures("local_api_audience"),
]

ISSUER = "http://testserver/o"
JWKS_URL = "https://idp.example/jwks"


def get(client, token: str):
    return client.get("/drf/local", HTTP_AUTHORIZATION=f"Bearer {token}")


def signed(algorithm: str, settings) -> str:
    settings.OIDC_CLAIMS = {**settings.OIDC_CLAIMS, "ACCESS_TOKEN_SIGNING_ALG": algorithm}
    header, key = access_token_signature()
    return sign_jwt(access_token_claims_for(ISSUER), header, key)


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_tokens_of_every_algorithm_are_accepted(client, settings, algorithm):
    active_key(algorithm)
    assert get(client, signed(algorithm, settings)).status_code == 200


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_an_algorithm_that_is_not_configured_is_refused(client, settings, algorithm):
    active_key(algorithm)
    token = signed(algorithm, settings)
    others = tuple(other for other in ALGORITHMS if other != algorithm)
    settings.OIDC_CLAIMS = {**settings.OIDC_CLAIMS, "RESOURCE_SERVER_ALGORITHMS": others}
    response = get(client, token)
    assert response.status_code == 401
    assert "algorithm is not accepted" in response.json()["detail"]


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_alg_none_is_refused(client, settings, algorithm):
    active_key(algorithm)
    settings.OIDC_CLAIMS = {**settings.OIDC_CLAIMS, "ACCESS_TOKEN_SIGNING_ALG": algorithm}
    header, _ = access_token_signature()
    assert get(client, unsecured_jwt(header, access_token_claims_for(ISSUER))).status_code == 401


@pytest.mark.parametrize("algorithm", ["ES256", "EdDSA"])
@pytest.mark.parametrize("hmac", ["HS256", "HS384", "HS512"])
def test_hs_signed_with_a_published_public_key_is_refused_even_if_configured(
    client, settings, algorithm, hmac
):
    key = active_key(algorithm)
    public = jwk.JWK(**key.public_jwk)
    secret = base64.urlsafe_b64encode(public.export_to_pem()).rstrip(b"=").decode()
    header = {"typ": "at+jwt", "alg": hmac, "kid": key.kid}
    token = sign_jwt(access_token_claims_for(ISSUER), header, jwk.JWK(kty="oct", k=secret))
    settings.OIDC_CLAIMS = {
        **settings.OIDC_CLAIMS,
        "RESOURCE_SERVER_ALGORITHMS": (*ALGORITHMS, hmac),
    }
    assert get(client, token).status_code == 401


@pytest.mark.parametrize(
    ("published", "claimed", "signer"),
    [
        ("ES256", "RS256", {"kty": "RSA", "size": 2048}),
        ("EdDSA", "ES256", {"kty": "EC", "crv": "P-256"}),
        ("RS256", "EdDSA", {"kty": "OKP", "crv": "Ed25519"}),
    ],
)
def test_a_kid_of_another_algorithm_is_refused(client, published, claimed, signer):
    # The token names a published key but claims another algorithm, signed by a key of it.
    key = active_key(published)
    header = {"typ": "at+jwt", "alg": claimed, "kid": key.kid}
    token = sign_jwt(access_token_claims_for(ISSUER), header, jwk.JWK.generate(**signer))
    response = get(client, token)
    assert response.status_code == 401
    assert "signing key is unknown" in response.json()["detail"]


def test_an_unknown_kid_fetches_the_jwks_again_at_most_once_a_minute(client, monkeypatch):
    from oidc_claims.contrib.rest_framework import keys

    first = active_key("ES256")
    calls = []

    def fetch(url):
        calls.append(url)
        return {"keys": published_keys()}

    monkeypatch.setattr(keys, "fetch_key_set_document", fetch)
    remote = local_api_settings(RESOURCE_SERVER_JWKS_URL=JWKS_URL, ACCESS_TOKEN_SIGNING_ALG="ES256")
    with override_settings(OIDC_CLAIMS=remote):
        header, key = access_token_signature()
        assert header["kid"] == first.kid
        token = sign_jwt(access_token_claims_for(ISSUER), header, key)
        assert get(client, token).status_code == 200
        assert len(calls) == 1
        # A key published after the resource server cached the JWKS: fetched again once.
        start_rotation("ES256")
        second = SigningKey.objects.get(state=KeyState.NEXT)
        second_key = jwk.JWK.from_pem(decrypt_private_key(second.encrypted_private_key))
        token = sign_jwt(
            access_token_claims_for(ISSUER),
            {"typ": "at+jwt", "alg": "ES256", "kid": second.kid},
            second_key,
        )
        assert get(client, token).status_code == 200
        assert len(calls) == 2
        # Made-up key ids within the minute: no further fetch, refused.
        forged = sign_jwt(
            access_token_claims_for(ISSUER),
            {"typ": "at+jwt", "alg": "ES256", "kid": "made-up"},
            second_key,
        )
        assert get(client, forged).status_code == 401
        assert len(calls) == 2
