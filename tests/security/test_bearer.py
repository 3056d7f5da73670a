"""Bearer tokens are access tokens: an ID token (or any other JWT) is never accepted as one."""

from __future__ import annotations

import time
import uuid

import pytest
from jwcrypto import jwk

from oidc_claims.tokens.builders import sign_jwt
from tests.api_helpers import user_with
from tests.factories import ApplicationFactory, AppProfileFactory, UserFactory
from tests.tokens_support import (
    SITE_API_AUDIENCES,
    code_flow,
    create_claim_set,
    stored_subject,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.urls_resource")]


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def app():
    application = ApplicationFactory()
    AppProfileFactory(application=application, access_token_audience=SITE_API_AUDIENCES)
    create_claim_set()
    return application


def test_an_id_token_is_not_an_access_token(client, app):
    # ID tokens go to the client and travel on (id_token_hint, the client's own backend);
    # whoever holds one must not be able to call resource servers or the claims API with it.
    user = user_with("view_claimdefinition", username="ada", groups=["engineering"])
    client.force_login(user)
    tokens = code_flow(client, app, scope="openid api.read claims.read")
    client.logout()
    id_token = tokens["id_token"]

    # The access token of the same response works everywhere...
    assert client.get("/api/hello", **bearer(tokens["access_token"])).status_code == 200
    assert client.get("/api/v1/claims/", **bearer(tokens["access_token"])).status_code == 200
    # ...the ID token nowhere.
    assert client.get("/api/hello", **bearer(id_token)).status_code == 403
    assert client.get("/drf/dot", **bearer(id_token)).status_code in (401, 403)
    assert client.get("/drf/dot-engineering", **bearer(id_token)).status_code in (401, 403)
    assert client.get("/api/v1/claims/", **bearer(id_token)).status_code == 401
    assert client.get("/o/userinfo/", **bearer(id_token)).status_code == 401


def test_a_client_cannot_forge_a_bearer_token_with_its_hs256_secret(client, app):
    # An HS256 client knows the key its ID tokens are signed with (its own secret). A token
    # it signs, naming the jti of another user's ID token, must not authenticate as that user.
    victim = UserFactory(username="victim", groups=["engineering"])
    client.force_login(victim)
    code_flow(client, app, scope="openid api.read")
    client.logout()
    from oauth2_provider.models import get_id_token_model

    victim_jti = str(get_id_token_model().objects.get(user=victim).jti)

    attacker = ApplicationFactory(
        algorithm="HS256",
        client_secret="attacker-Hs256-key-7Qw2Zr9Lm4Xv8Kp3Tn6Bd1Fy",
        hash_client_secret=False,
    )
    now = int(time.time())
    forged = sign_jwt(
        {
            "iss": "http://testserver/o",
            "aud": attacker.client_id,
            "sub": stored_subject(victim),
            "iat": now,
            "exp": now + 300,
            "jti": victim_jti,
        },
        {"typ": "JWT", "alg": "HS256"},
        attacker.jwk_key,
    )
    assert client.get("/api/hello", **bearer(forged)).status_code == 403
    assert client.get("/drf/dot", **bearer(forged)).status_code in (401, 403)


@pytest.mark.parametrize(
    "header",
    [{"typ": 5, "alg": "HS256"}, {"typ": ["at+jwt"], "alg": "HS256"}, {"alg": "HS256"}],
)
def test_odd_jwt_headers_are_refused_not_a_server_error(client, app, header):
    key = jwk.JWK(kty="oct", k="c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA")
    token = sign_jwt({"aud": app.client_id, "jti": str(uuid.uuid4())}, header, key)
    assert client.get("/api/hello", **bearer(token)).status_code == 403
    assert client.get("/drf/dot", **bearer(token)).status_code in (401, 403)
    assert client.get("/o/userinfo/", **bearer(token)).status_code == 401
