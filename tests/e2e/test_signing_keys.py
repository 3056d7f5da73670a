"""Signing keys over HTTP: ES256, EdDSA and RS256 tokens from a live provider verify with PyJWT
and joserfc against its JWKS, and a resource server that caches the JWKS keeps verifying
tokens issued before, during and after a key rotation."""

from __future__ import annotations

from datetime import timedelta

import jwt as pyjwt
import pytest
import requests
from django.utils import timezone
from oauth2_provider.models import get_application_model

from example_project.management.commands.seed_demo import DEMO_SERVICE_SECRET, DEMO_WEB_SECRET
from oidc_claims.conf import claims_settings
from oidc_claims.models import AppProfile
from oidc_claims.models.key_rotation import advance, jwks_max_age, publish_seconds
from oidc_claims.models.signing_keys import KeyState, SigningKey
from tests.signing_support import ALGORITHMS, active_key

from .oidc import Provider, authorization_code_flow, client_credentials_token
from .resource_server import CachingResourceServer, UnknownKey

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.urls_resource"),
]


def use_algorithm(settings, algorithm: str, **extra) -> None:
    settings.OIDC_CLAIMS = {**settings.OIDC_CLAIMS, "ACCESS_TOKEN_SIGNING_ALG": algorithm, **extra}


def service_token(idp: Provider) -> str:
    return client_credentials_token(idp, "demo-service", DEMO_SERVICE_SECRET, scope="api.read")[
        "access_token"
    ]


def kid(token: str) -> str:
    return pyjwt.get_unverified_header(token)["kid"]


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_tokens_of_each_algorithm_verify_over_http_with_two_libraries(
    demo_idp, settings, algorithm
):
    key = active_key(algorithm)
    use_algorithm(settings, algorithm)
    web = get_application_model().objects.get(client_id="demo-web")
    AppProfile.objects.update_or_create(
        application=web, defaults={"id_token_signed_response_alg": algorithm}
    )
    idp = Provider.discover(demo_idp.base_url)
    assert algorithm in idp.metadata["id_token_signing_alg_values_supported"]

    # Authlib drives the flow; joserfc verifies the ID token against the JWKS it fetches.
    result = authorization_code_flow(
        idp,
        client_id="demo-web",
        client_secret=DEMO_WEB_SECRET,
        redirect_uri=f"{idp.base_url}/demo/callback",
        username="alice",
        password="alice-demo-password",
        pkce=False,
    )
    assert result.id_token_header == {"typ": "JWT", "alg": algorithm, "kid": key.kid}
    server = CachingResourceServer(idp.metadata["jwks_uri"])
    id_token = server.verify(result.token["id_token"], aud="demo-web", iss=idp.issuer)
    assert id_token["nonce"] == result.nonce
    access = result.token["access_token"]
    assert pyjwt.get_unverified_header(access) == {
        "typ": "at+jwt",
        "alg": algorithm,
        "kid": key.kid,
    }
    assert server.verify(access, iss=idp.issuer)["client_id"] == "demo-web"
    userinfo = result.session.get(idp.metadata["userinfo_endpoint"], timeout=30)
    assert userinfo.json()["sub"] == id_token["sub"]
    service = service_token(idp)
    assert server.verify(service, iss=idp.issuer)["sub"] == "demo-service"
    published = {entry["kid"]: entry for entry in server.jwks()["keys"]}
    assert published[key.kid]["alg"] == algorithm and published[key.kid]["use"] == "sig"


def test_a_caching_resource_server_verifies_across_a_rotation(demo_idp, settings):
    jwks_uri = demo_idp.metadata["jwks_uri"]
    start = timezone.now()
    advance("ES256", now=start, activate_first=True)
    first = SigningKey.objects.get(algorithm="ES256")
    use_algorithm(settings, "ES256", RESOURCE_SERVER_JWKS_URL=jwks_uri)
    server = CachingResourceServer(jwks_uri)

    def drf_status(token: str) -> int:
        # The DRF helper as a second resource server: its own cache, JWKS over HTTP.
        response = requests.get(
            f"{demo_idp.base_url}/drf/local",
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        return response.status_code

    before = service_token(demo_idp)
    audience = pyjwt.decode(before, options={"verify_signature": False})["aud"]
    use_algorithm(
        settings, "ES256", RESOURCE_SERVER_JWKS_URL=jwks_uri, RESOURCE_SERVER_AUDIENCE=audience
    )
    assert kid(before) == first.kid
    server.verify(before)
    assert drf_status(before) == 200

    # The rotation starts (as cron would run it): a successor is published, not yet signing.
    rotate_at = (
        first.activated
        + timedelta(seconds=claims_settings.SIGNING_KEY_ROTATE_SECONDS)
        - timedelta(seconds=publish_seconds())
    )
    assert [t.to_state for t in advance("ES256", now=rotate_at)] == [KeyState.NEXT]
    second = SigningKey.objects.get(state=KeyState.NEXT)
    during = service_token(demo_idp)
    assert kid(during) == first.kid
    for token in (before, during):
        server.verify(token)
        assert drf_status(token) == 200

    # The cache's max-age is within the publication period: the resource server has the
    # successor before it signs anything.
    assert jwks_max_age() <= publish_seconds()
    server.wait(jwks_max_age())
    assert {first.kid, second.kid} <= server.kids()
    fetches = server.fetches
    transitions = advance("ES256", now=rotate_at + timedelta(seconds=publish_seconds()))
    assert [t.to_state for t in transitions] == [KeyState.RETIRING, KeyState.ACTIVE]
    after = service_token(demo_idp)
    assert kid(after) == second.kid
    for token in (before, during, after):
        server.verify(token)  # from the cache: no fetch was needed
        assert drf_status(token) == 200  # its unknown kid made the DRF cache fetch once
    assert server.fetches == fetches

    # The old key stays published, whenever the cache is refreshed, until its tokens expire.
    first.refresh_from_db()
    server.wait(jwks_max_age())
    assert first.kid in server.kids()
    server.verify(before)
    assert [t.to_state for t in advance("ES256", now=first.retire_after)] == [KeyState.RETIRED]
    server.wait(jwks_max_age())
    assert first.kid not in server.kids()
    assert first.kid not in {
        key["kid"] for key in requests.get(jwks_uri, timeout=30).json()["keys"]
    }
    server.verify(after)
    # Only a token past its expiry (by the rotation's clock) can still name the retired key.
    with pytest.raises(UnknownKey):
        server.verify(before)
