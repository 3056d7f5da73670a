"""sign_jwt (the compact JWS that jwcrypto's JWT produces, byte for byte) and key_id."""

from __future__ import annotations

import json

import pytest
from jwcrypto import jwk, jwt

from oidc_claims.tokens.builders import access_token_header, key_id, sign_jwt, signing_key

# The access-token header names the active key, which the key store reads from the database.
pytestmark = pytest.mark.django_db

PAYLOAD = {"sub": "1", "name": "Zoë", "groups": ["a", "b"], "n": 3, "ok": True, "none": None}


def jwcrypto_jwt(payload: dict, header: dict, key: jwk.JWK) -> str:
    token = jwt.JWT(
        header=json.dumps(header, separators=(",", ":")),
        claims=json.dumps(payload, separators=(",", ":")),
    )
    token.make_signed_token(key)
    return token.serialize()


def test_rs256_is_byte_identical_to_jwcrypto_jwt():
    # RS256 (PKCS#1 v1.5) signatures are deterministic: equal bytes mean equal tokens.
    header = access_token_header()
    assert sign_jwt(PAYLOAD, header) == jwcrypto_jwt(PAYLOAD, header, signing_key())


def test_hs256_is_byte_identical_to_jwcrypto_jwt():
    key = jwk.JWK(kty="oct", k="c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA")
    header = {"typ": "JWT", "alg": "HS256"}
    assert sign_jwt(PAYLOAD, header, key) == jwcrypto_jwt(PAYLOAD, header, key)


def test_the_token_verifies():
    token = jwt.JWT(jwt=sign_jwt(PAYLOAD, access_token_header()), key=signing_key())
    assert json.loads(token.claims) == PAYLOAD


@pytest.mark.parametrize(
    "header",
    [{"typ": "JWT"}, {"alg": "RS256", "b64": False, "crit": ["b64"]}],
    ids=["no alg", "unencoded payload"],
)
def test_unusable_headers_are_refused(header):
    with pytest.raises(ValueError):
        sign_jwt(PAYLOAD, header)


def test_a_value_that_is_not_json_is_refused():
    with pytest.raises(TypeError):
        sign_jwt({"when": object()}, access_token_header())


def test_kid_is_the_thumbprint_that_the_jwks_publishes(client):
    published = client.get("/o/.well-known/jwks.json").json()["keys"]
    assert [key["kid"] for key in published] == [key_id()]


def test_kid_follows_a_changed_key():
    from django.conf import settings
    from django.test import override_settings

    other = jwk.JWK.generate(kty="RSA", size=2048)
    pem = other.export_to_pem(private_key=True, password=None).decode()
    before = key_id()
    provider = {**settings.OAUTH2_PROVIDER, "OIDC_RSA_PRIVATE_KEY": pem}
    with override_settings(OAUTH2_PROVIDER=provider):
        assert key_id() == other.thumbprint() != before
        assert key_id(signing_key()) == other.thumbprint()
    assert key_id() == before
    assert key_id(other) == other.thumbprint()
