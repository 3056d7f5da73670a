"""ES256, EdDSA and RS256 tokens signed with database keys, verified by two JWT libraries
against the JWKS the provider publishes; HS256 clients keep DOT's behaviour."""

from __future__ import annotations

import jwt as pyjwt
import pytest
from django.db import connection

from oidc_claims.models.signing_keys import SigningKey
from tests.factories import ApplicationFactory, AppProfileFactory, UserFactory
from tests.signing_support import ALGORITHMS, active_key, verify_twice
from tests.tokens_support import REDIRECT_URI, authorize, basic_auth, code_flow, token_request

pytestmark = pytest.mark.django_db

JWKS_URL = "/o/.well-known/jwks.json"


def jwks(client) -> dict:
    response = client.get(JWKS_URL)
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def user_client(client):
    client.force_login(UserFactory())
    return client


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_id_tokens_of_each_algorithm_verify_against_the_jwks(user_client, algorithm):
    key = active_key(algorithm)
    app = ApplicationFactory()
    AppProfileFactory(application=app, id_token_signed_response_alg=algorithm)
    tokens = code_flow(user_client, app)
    header = pyjwt.get_unverified_header(tokens["id_token"])
    assert header == {"typ": "JWT", "alg": algorithm, "kid": key.kid}
    claims = verify_twice(tokens["id_token"], jwks(user_client))
    assert claims["aud"] == app.client_id
    # A refresh signs the new ID token with the same key.
    refreshed = token_request(
        user_client, app, grant_type="refresh_token", refresh_token=tokens["refresh_token"]
    ).json()
    assert pyjwt.get_unverified_header(refreshed["id_token"])["kid"] == key.kid
    verify_twice(refreshed["id_token"], jwks(user_client))


@pytest.mark.parametrize("algorithm", ALGORITHMS)
@pytest.mark.parametrize("response_type", ["id_token", "code id_token"])
def test_implicit_and_hybrid_id_tokens_use_the_chosen_algorithm(
    user_client, algorithm, response_type
):
    key = active_key(algorithm)
    grant = "implicit" if response_type == "id_token" else "openid-hybrid"
    app = ApplicationFactory(authorization_grant_type=grant)
    AppProfileFactory(application=app, id_token_signed_response_alg=algorithm)
    status, params, _ = authorize(user_client, app, response_type=response_type)
    assert status == 302, params
    assert pyjwt.get_unverified_header(params["id_token"])["kid"] == key.kid
    assert verify_twice(params["id_token"], jwks(user_client))["nonce"] == "n-0S6_WzA2Mj"


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_access_tokens_use_the_site_algorithm(client, settings, algorithm):
    key = active_key(algorithm)
    settings.OIDC_CLAIMS = {**settings.OIDC_CLAIMS, "ACCESS_TOKEN_SIGNING_ALG": algorithm}
    app = ApplicationFactory(authorization_grant_type="client-credentials")
    token = token_request(client, app, grant_type="client_credentials").json()["access_token"]
    header = pyjwt.get_unverified_header(token)
    assert header == {"typ": "at+jwt", "alg": algorithm, "kid": key.kid}
    assert verify_twice(token, jwks(client))["client_id"] == app.client_id


def test_without_database_keys_dot_rsa_key_signs_as_before(user_client):
    app = ApplicationFactory()
    tokens = code_flow(user_client, app)
    published = jwks(user_client)
    assert [key["alg"] for key in published["keys"]] == ["RS256"]
    for token in (tokens["id_token"], tokens["access_token"]):
        assert verify_twice(token, published)


def test_a_database_rs256_key_takes_over_from_dot_key_which_stays_published(user_client):
    from oidc_claims.tokens.builders import key_id

    key = active_key("RS256")
    tokens = code_flow(user_client, ApplicationFactory())
    assert pyjwt.get_unverified_header(tokens["id_token"])["kid"] == key.kid
    assert pyjwt.get_unverified_header(tokens["access_token"])["kid"] == key.kid
    kids = [entry["kid"] for entry in jwks(user_client)["keys"]]
    assert kids == [key.kid, key_id()]


def test_hs256_clients_still_get_tokens_signed_with_their_secret(user_client):
    active_key("ES256")
    secret = "a-client-secret-of-at-least-32-bytes"
    app = ApplicationFactory(algorithm="HS256", client_secret=secret, hash_client_secret=False)
    _, params, _ = authorize(user_client, app)
    tokens = user_client.post(
        "/o/token/",
        {"grant_type": "authorization_code", "code": params["code"], "redirect_uri": REDIRECT_URI},
        HTTP_AUTHORIZATION=basic_auth(app.client_id, secret),
    ).json()
    header = pyjwt.get_unverified_header(tokens["id_token"])
    assert header == {"typ": "JWT", "alg": "HS256"}
    claims = pyjwt.decode(tokens["id_token"], secret, algorithms=["HS256"], audience=app.client_id)
    assert claims["aud"] == app.client_id


def test_the_jwks_publishes_public_keys_with_kid_alg_and_use(client):
    keys = {algorithm: active_key(algorithm) for algorithm in ALGORITHMS}
    response = client.get(JWKS_URL)
    assert response["Cache-Control"] == "public, max-age=3600"
    published = {entry["kid"]: entry for entry in response.json()["keys"]}
    for algorithm, key in keys.items():
        assert published[key.kid]["alg"] == algorithm
        assert published[key.kid]["use"] == "sig"
    private_members = {"d", "p", "q", "dp", "dq", "qi", "k"}
    assert all(not private_members & set(entry) for entry in published.values())
    assert {entry["kty"] for entry in published.values()} == {"EC", "OKP", "RSA"}


def test_discovery_lists_the_algorithms_really_used(client):
    url = "/o/.well-known/openid-configuration"
    assert client.get(url).json()["id_token_signing_alg_values_supported"] == ["RS256"]
    active_key("ES256")
    active_key("EdDSA")
    assert client.get(url).json()["id_token_signing_alg_values_supported"] == [
        "RS256",
        "ES256",
        "EdDSA",
    ]
    ApplicationFactory(algorithm="HS256")
    assert client.get(url).json()["id_token_signing_alg_values_supported"][-1] == "HS256"


def test_private_keys_are_encrypted_at_rest(settings):
    key = active_key("ES256")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT encrypted_private_key FROM oidc_claims_signingkey WHERE kid = %s", [key.kid]
        )
        (stored,) = cursor.fetchone()
    assert "PRIVATE KEY" not in stored and stored.startswith("gAAAAA")  # a Fernet token
    from oidc_claims.models.key_encryption import decrypt_private_key

    assert decrypt_private_key(stored).startswith(b"-----BEGIN PRIVATE KEY-----")


def test_a_missing_encryption_secret_says_what_to_set(settings):
    from oidc_claims.models.key_encryption import EncryptionKeyError
    from oidc_claims.models.key_rotation import create_key

    settings.OIDC_CLAIMS = {**settings.OIDC_CLAIMS, "SIGNING_KEYS_ENCRYPTION_KEY": None}
    with pytest.raises(EncryptionKeyError, match="SIGNING_KEYS_ENCRYPTION_KEY'\\] is not set"):
        create_key("ES256")
    assert not SigningKey.objects.exists()


def test_a_changed_secret_decrypts_through_the_list_and_reencrypts(settings):
    from oidc_claims.models.key_encryption import EncryptionKeyError, decrypt_private_key
    from oidc_claims.models.key_rotation import reencrypt_keys

    old = settings.OIDC_CLAIMS["SIGNING_KEYS_ENCRYPTION_KEY"]
    new = "a-new-secret-that-is-long-enough-for-the-check"
    key = active_key("EdDSA")
    settings.OIDC_CLAIMS = {**settings.OIDC_CLAIMS, "SIGNING_KEYS_ENCRYPTION_KEY": [new, old]}
    assert reencrypt_keys() == 1
    settings.OIDC_CLAIMS = {**settings.OIDC_CLAIMS, "SIGNING_KEYS_ENCRYPTION_KEY": new}
    key.refresh_from_db()
    assert decrypt_private_key(key.encrypted_private_key).startswith(b"-----BEGIN")
    settings.OIDC_CLAIMS = {**settings.OIDC_CLAIMS, "SIGNING_KEYS_ENCRYPTION_KEY": old + "x"}
    with pytest.raises(EncryptionKeyError, match="Put that secret back"):
        decrypt_private_key(key.encrypted_private_key)


def test_an_algorithm_without_active_key_is_refused_for_an_application():
    from django.core.exceptions import ValidationError

    profile = AppProfileFactory(id_token_signed_response_alg="EdDSA")
    with pytest.raises(ValidationError, match="rotate_signing_keys --algorithm EdDSA"):
        profile.full_clean()
    active_key("EdDSA")
    profile.full_clean()


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_rp_initiated_logout_verifies_an_id_token_hint_of_each_algorithm(user_client, algorithm):
    from jwcrypto import jwk

    from oidc_claims.tokens.builders import sign_jwt

    key = active_key(algorithm)
    app = ApplicationFactory(post_logout_redirect_uris=REDIRECT_URI)
    AppProfileFactory(application=app, id_token_signed_response_alg=algorithm)
    tokens = code_flow(user_client, app)
    logout = {"id_token_hint": tokens["id_token"], "post_logout_redirect_uri": REDIRECT_URI}
    genuine = user_client.get("/o/logout/", logout)
    # A verified hint: DOT asks the user to confirm (OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT).
    assert genuine.status_code == 200, genuine.content[:300]
    assert genuine.context["form"].initial["id_token_hint"] == tokens["id_token"]
    # The same claims under the same kid, signed by a key that is not the provider's.
    claims = pyjwt.decode(tokens["id_token"], options={"verify_signature": False})
    parameters = {"ES256": {"kty": "EC", "crv": "P-256"}, "EdDSA": {"kty": "OKP", "crv": "Ed25519"}}
    other = jwk.JWK.generate(**parameters.get(algorithm, {"kty": "RSA", "size": 2048}))
    forged = sign_jwt(claims, {"typ": "JWT", "alg": algorithm, "kid": key.kid}, other)
    refused = user_client.get("/o/logout/", {**logout, "id_token_hint": forged})
    assert refused.status_code == 400


@pytest.mark.parametrize("algorithm", ["ES256", "EdDSA"])
def test_the_preview_shows_the_real_header_and_size(client, settings, algorithm):
    from django.test import RequestFactory

    from oidc_claims.preview.build import build_preview

    key = active_key(algorithm)
    settings.OIDC_CLAIMS = {**settings.OIDC_CLAIMS, "ACCESS_TOKEN_SIGNING_ALG": algorithm}
    app = ApplicationFactory()
    AppProfileFactory(application=app, id_token_signed_response_alg=algorithm)
    user = UserFactory()
    request = RequestFactory().get("/", HTTP_HOST="testserver")
    result = build_preview(app, "authorization_code", user, ["openid"], request=request)
    assert result["id_token"]["header"] == {"typ": "JWT", "alg": algorithm, "kid": key.kid}
    assert result["access_token"]["header"] == {"typ": "at+jwt", "alg": algorithm, "kid": key.kid}
    # The size shown is the size of the token issued (64-byte signatures for both).
    client.force_login(user)
    issued = code_flow(client, app)["access_token"]
    shown = result["access_token"]
    difference = len(issued) - shown["size"]
    # The real token's iat/exp/jti/auth_time may differ in digits, never in signature length.
    assert abs(difference) <= 8, (len(issued), shown["size"])
    assert len(issued.rsplit(".", 1)[1]) == 86  # base64url of 64 bytes


def test_the_api_and_the_export_carry_the_application_algorithm():
    import io
    import json

    from django.core.management import call_command
    from rest_framework.test import APIClient

    from tests.api_helpers import PROFILE_PERMS, user_with

    api = APIClient()
    api.force_login(user_with(*PROFILE_PERMS))
    ApplicationFactory(client_id="portal")
    url = "/api/v1/app-profiles/portal/"
    refused = api.put(url, {"id_token_signed_response_alg": "ES256"}, format="json")
    assert refused.status_code == 400
    assert "rotate_signing_keys --algorithm ES256" in json.dumps(refused.json())
    active_key("ES256")
    created = api.put(url, {"id_token_signed_response_alg": "ES256"}, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["id_token_signed_response_alg"] == "ES256"
    out = io.StringIO()
    call_command("export_claims", stdout=out)
    (profile,) = json.loads(out.getvalue())["app_profiles"]
    assert profile["id_token_signed_response_alg"] == "ES256"


@pytest.mark.parametrize(
    "hint",
    [
        "not-a-jwt",
        "e30.bm90IGpzb24.c2ln",  # payload not JSON
        "e30.WzFd.c2ln",  # payload a list
        "e30.eyJhdWQiOiA1fQ.c2ln",  # aud a number
        "e30.eyJhdWQiOiB7ImEiOiAxfX0.c2ln",  # aud an object
    ],
)
def test_a_malformed_id_token_hint_is_refused_cleanly(user_client, hint):
    active_key("ES256")
    response = user_client.get(
        "/o/logout/", {"id_token_hint": hint, "post_logout_redirect_uri": REDIRECT_URI}
    )
    assert response.status_code == 400
