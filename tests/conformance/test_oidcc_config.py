"""Config OP plan (oidcc-discovery-endpoint-verification and the JWKS), RFC 8414 metadata,
and RP-initiated logout through the advertised end_session_endpoint."""

from __future__ import annotations

import pytest
import requests
from django.conf import settings
from django.test import override_settings
from joserfc.jwk import KeySet
from oauth2_provider.models import get_application_model

from .conftest import ALICE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# OpenID Connect Discovery 1.0 section 3.
REQUIRED = (
    "issuer",
    "authorization_endpoint",
    "token_endpoint",
    "jwks_uri",
    "response_types_supported",
    "subject_types_supported",
    "id_token_signing_alg_values_supported",
)
# RECOMMENDED, except registration_endpoint: clients are registered by the site's admins
# (dynamic registration is not offered).
RECOMMENDED = ("userinfo_endpoint", "scopes_supported", "claims_supported")


def test_oidcc_discovery_endpoint_verification(op):
    metadata = op.provider.metadata
    for member in REQUIRED + RECOMMENDED:
        assert metadata.get(member), member
    assert metadata["issuer"] == f"{op.base_url}/o"
    assert metadata["issuer"] == op.provider.issuer
    assert "RS256" in metadata["id_token_signing_alg_values_supported"]
    assert {"code", "id_token", "id_token token"} <= set(metadata["response_types_supported"])
    assert {"openid", "profile", "email", "address", "phone"} <= set(metadata["scopes_supported"])
    assert metadata["subject_types_supported"] == ["public"]
    for endpoint in ("introspection_endpoint", "revocation_endpoint", "end_session_endpoint"):
        assert metadata[endpoint].startswith(metadata["issuer"] + "/"), endpoint
    assert {"authorization_code", "refresh_token", "client_credentials"} <= set(
        metadata["grant_types_supported"]
    )
    assert {"client_secret_basic", "client_secret_post"} <= set(
        metadata["token_endpoint_auth_methods_supported"]
    )
    assert "S256" in metadata["code_challenge_methods_supported"]
    assert metadata["claims_parameter_supported"] is True
    assert metadata["request_parameter_supported"] is False
    assert metadata["request_uri_parameter_supported"] is False
    # The iss of every ID token equals the issuer: see every other module.


def test_oidcc_jwks_is_valid(op):
    """Config OP plan: the JWKS is a valid key set of public signing keys."""
    response = requests.get(op.provider.metadata["jwks_uri"], timeout=30)
    assert response.status_code == 200
    keys = response.json()["keys"]
    assert keys and all(key["kty"] == "RSA" and key["use"] == "sig" for key in keys)
    assert all(key.get("kid") for key in keys)
    assert not any(private in key for key in keys for private in ("d", "p", "q", "dp", "dq"))
    assert {key.kid for key in KeySet.import_key_set(response.json()).keys} == {
        key["kid"] for key in keys
    }


def test_rfc8414_metadata_at_the_root_for_the_issuer_path(op):
    openid = op.provider.metadata
    response = requests.get(f"{op.base_url}/.well-known/oauth-authorization-server/o", timeout=30)
    assert response.status_code == 200
    assert response.json() == openid
    under_prefix = requests.get(
        f"{op.base_url}/o/.well-known/oauth-authorization-server", timeout=30
    )
    assert under_prefix.json() == openid
    elsewhere = requests.get(
        f"{op.base_url}/.well-known/oauth-authorization-server/tenant", timeout=30
    )
    assert elsewhere.status_code == 404


def test_rp_initiated_logout_with_id_token_hint_and_post_logout_redirect_uri(op):
    rp = op.client()
    browser = rp.browser()
    result = rp.authorize(ALICE, browser, nonce="n")
    token = rp.exchange(result.params["code"])
    logout_uri = f"{op.base_url}/demo/callback?logged-out=1"
    get_application_model().objects.filter(client_id=rp.client_id).update(
        post_logout_redirect_uris=logout_uri
    )
    page = browser.get(
        f"{op.provider.metadata['end_session_endpoint']}?id_token_hint={token['id_token']}"
        f"&post_logout_redirect_uri=http%3A%2F%2F{op.base_url.split('://')[1]}%2Fdemo%2Fcallback"
        "%3Flogged-out%3D1&state=bye"
    )
    # DOT asks the user to confirm, then redirects back to the client.
    if not isinstance(page, str):
        page = browser.submit(page, {"allow": "Yes"})
    assert isinstance(page, str), page.text[:500]
    assert page.startswith(logout_uri) and "state=bye" in page
    again = rp.authorize(None, browser, prompt="none", state="after")
    assert again.params["error"] == "login_required"


def test_logout_endpoint_without_rp_initiated_logout_is_404(op):
    settings_off = {"OIDC_RP_INITIATED_LOGOUT_ENABLED": False}
    with override_settings(
        DEBUG=True, OAUTH2_PROVIDER={**settings.OAUTH2_PROVIDER, **settings_off}
    ):
        response = requests.get(f"{op.base_url}/o/logout/", timeout=30)
        metadata = requests.get(f"{op.base_url}/o/.well-known/openid-configuration", timeout=30)
    assert response.status_code == 404
    assert "OIDC_RP_INITIATED_LOGOUT_ENABLED" in response.text
    assert "end_session_endpoint" not in metadata.json()
