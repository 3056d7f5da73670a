"""Tokens signed with the key objects directly are the JWS jwcrypto would make, and verify."""

from __future__ import annotations

import json

import jwt as pyjwt
import pytest
from jwcrypto import jwk, jws

from oidc_claims.tokens.jws_signing import sign_compact

KEYS = {
    "RS256": jwk.JWK.generate(kty="RSA", size=2048),
    "ES256": jwk.JWK.generate(kty="EC", crv="P-256"),
    "EdDSA": jwk.JWK.generate(kty="OKP", crv="Ed25519"),
    "HS256": jwk.JWK.generate(kty="oct", size=256),
}
PAYLOAD = {"sub": "ada", "aud": "portal", "groups": ["eng", "sales"], "name": "Ada Lövelace"}


def _sign(algorithm: str) -> str:
    header = json.dumps({"alg": algorithm, "typ": "at+jwt", "kid": "k1"}, separators=(",", ":"))
    payload = json.dumps(PAYLOAD, separators=(",", ":")).encode("utf-8")
    return sign_compact(algorithm, KEYS[algorithm], header, payload)


@pytest.mark.parametrize("algorithm", sorted(KEYS))
def test_each_algorithm_verifies_with_jwcrypto(algorithm):
    verifier = jws.JWS()
    verifier.deserialize(_sign(algorithm))
    verifier.verify(KEYS[algorithm], alg=algorithm)
    assert json.loads(verifier.payload) == PAYLOAD
    assert verifier.jose_header == {"alg": algorithm, "typ": "at+jwt", "kid": "k1"}


@pytest.mark.parametrize("algorithm", ["RS256", "ES256", "EdDSA"])
def test_each_asymmetric_algorithm_verifies_with_pyjwt_and_the_public_key(algorithm):
    public = pyjwt.PyJWK(KEYS[algorithm].export_public(as_dict=True), algorithm=algorithm)
    claims = pyjwt.decode(_sign(algorithm), public.key, algorithms=[algorithm], audience="portal")
    assert claims == PAYLOAD


@pytest.mark.parametrize("algorithm", ["RS256", "EdDSA", "HS256"])
def test_deterministic_signatures_are_byte_for_byte_jwcryptos(algorithm):
    header = json.dumps({"alg": algorithm}, separators=(",", ":"))
    payload = b'{"sub":"ada"}'
    expected = jws.JWSCore(algorithm, KEYS[algorithm], header, payload).sign()
    assert sign_compact(algorithm, KEYS[algorithm], header, payload) == (
        f"{expected['protected']}.{expected['payload'].decode()}.{expected['signature']}"
    )


def test_a_rotated_key_gets_a_signer_of_its_own():
    first, second = jwk.JWK.generate(kty="EC", crv="P-256"), jwk.JWK.generate(kty="EC", crv="P-256")
    for key in (first, second, first):
        token = sign_compact("ES256", key, '{"alg":"ES256"}', b"{}")
        verifier = jws.JWS()
        verifier.deserialize(token)
        verifier.verify(key, alg="ES256")
