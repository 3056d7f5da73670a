"""Helpers for token tests: drive /authorize and /token with Django's test client, verify JWTs."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.test import Client
from jwcrypto import jwk, jwt
from oauth2_provider.settings import oauth2_settings

from tests.factories import CLIENT_SECRET

REDIRECT_URI = "https://client.example.com/callback"
# The audience of the local-validation resource views of tests/urls_resource.py.
LOCAL_API_AUDIENCE = "https://api.example.com/"
# The local-validation tests of the DRF helper: this issuer, a JWKS address the helper is
# pointed at, the resource URLs, and the audience fixture.
LOCAL_ISSUER = "http://testserver/o"
LOCAL_JWKS_URL = "https://idp.example/jwks"
LOCAL_API_MARKS = [
    pytest.mark.django_db,
    pytest.mark.urls("tests.urls_resource"),
    pytest.mark.usefixtures("local_api_audience"),
]
# The default audiences of the site's APIs in tests: their URLs on the test host.
DEMO_API_AUDIENCE = "http://testserver/api/hello"
CLAIMS_API_AUDIENCE = "http://testserver/api/v1/"
# Default audiences (access_token_audience) of a client whose tokens serve both.
SITE_API_AUDIENCES = f"{DEMO_API_AUDIENCE} {CLAIMS_API_AUDIENCE}"
SECRET = CLIENT_SECRET


def public_jwks() -> jwk.JWKSet:
    """The key set as the JWKS endpoint publishes it."""
    keys = jwk.JWKSet()
    key = jwk.JWK.from_pem(oauth2_settings.OIDC_RSA_PRIVATE_KEY.encode())
    keys.add(jwk.JWK(**{**json.loads(key.export_public()), "kid": key.thumbprint()}))
    return keys


def verify(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Verify ``token`` against the published key; return (header, claims)."""
    verified = jwt.JWT(jwt=token, key=public_jwks(), algs=["RS256"], check_claims={"exp": None})
    return json.loads(verified.header), json.loads(verified.claims)


def stored_subject(user: Any) -> str:
    """The public subject identifier stored for ``user`` (the ``sub`` of its tokens)."""
    from oidc_claims.models.subjects import UserSubject

    return UserSubject.objects.get(user_id=user.pk).subject


def basic_auth(client_id: str, secret: str = SECRET) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    return verifier, challenge.decode()


def authorize(
    client: Client,
    application: Any,
    *,
    response_type: str = "code",
    scope: str = "openid",
    **extra: str,
) -> tuple[int, dict[str, str], Any]:
    """GET /o/authorize/ as the logged-in user of ``client`` (the app skips consent).

    Returns (status, parameters of the redirect's query and fragment, response).
    """
    params = {
        "response_type": response_type,
        "client_id": application.client_id,
        "redirect_uri": REDIRECT_URI,
        "scope": scope,
        "state": "st",
        "nonce": "n-0S6_WzA2Mj",
        **extra,
    }
    response = client.get("/o/authorize/?" + urlencode(params))
    if response.status_code != 302:
        return response.status_code, {}, response
    location = urlsplit(response["Location"])
    values = {k: v[0] for k, v in parse_qs(location.query).items()}
    values.update({k: v[0] for k, v in parse_qs(location.fragment).items()})
    return 302, values, response


def code_flow(
    client: Client, application: Any, *, scope: str = "openid", **extra: str
) -> dict[str, Any]:
    """Authorization code flow with PKCE; returns the token response JSON."""
    verifier, challenge = pkce_pair()
    status, params, response = authorize(
        client,
        application,
        scope=scope,
        code_challenge=challenge,
        code_challenge_method="S256",
        **extra,
    )
    assert status == 302 and "code" in params, (
        status,
        params,
        getattr(response, "content", b"")[:500],
    )
    return exchange_code(client, application, params["code"], verifier).json()


def token_request(client: Client, application: Any, **data: str) -> Any:
    return client.post("/o/token/", data, HTTP_AUTHORIZATION=basic_auth(application.client_id))


def exchange_code(client: Client, application: Any, code: str, verifier: str) -> Any:
    """The token endpoint's response to a code exchange (the test redirect URI, PKCE)."""
    return token_request(
        client,
        application,
        grant_type="authorization_code",
        code=code,
        redirect_uri=REDIRECT_URI,
        code_verifier=verifier,
    )


def create_claim_set(profile_application: Any = None) -> None:
    """The acceptance set: an expression claim, a groups claim for both tokens, an app-profile
    claim, a scope-conditioned claim and a disabled claim (all destinations)."""
    from oidc_claims.models import ClaimDefinition
    from tests.factories import ClaimDefinitionFactory

    everywhere = {
        "include_in_id_token": True,
        "include_in_access_token": True,
        "include_in_userinfo": True,
    }
    ClaimDefinitionFactory(
        name="login_name", value='String.substringBefore(user.email, "@")', **everywhere
    )
    ClaimDefinitionFactory(name="groups", value="eng", groups_claim=True, **everywhere)
    ClaimDefinitionFactory(name="app_label", value="app.profile.label", **everywhere)
    ClaimDefinitionFactory(name="contact", value="user.email", scopes=["email"], **everywhere)
    ClaimDefinitionFactory(name="retired", value='"gone"', enabled=False, **everywhere)
    assert ClaimDefinition.objects.count() == 5


def expected_user_claims(user: Any, *, label: str, email_scope: bool) -> dict[str, Any]:
    claims = {
        "login_name": user.email.split("@")[0],
        "groups": sorted(g.name for g in user.groups.all() if g.name.lower().startswith("eng")),
        "app_label": label,
    }
    if email_scope:
        claims["contact"] = user.email
    return claims


def assert_claims(payload: dict[str, Any], expected: dict[str, Any]) -> None:
    for name, value in expected.items():
        assert payload.get(name) == value, (name, payload)
    assert "retired" not in payload
    if "contact" not in expected:
        assert "contact" not in payload


def profile_queries(queries: Any) -> list[str]:
    """The SQL of captured queries that read AppProfile on their own (not joined)."""
    from django.db import connection

    from oidc_claims.models import AppProfile

    table = connection.ops.quote_name(AppProfile._meta.db_table)
    return [q["sql"] for q in queries.captured_queries if f"FROM {table}" in q["sql"]]


def access_token_claims_for(issuer: str, **overrides: Any) -> dict[str, Any]:
    """The payload of a JWT access token for a local resource server, as a test forges it.

    ``overrides`` replace members; a member overridden with None is left out.
    """
    import time

    now = int(time.time())
    claims = {
        "iss": issuer,
        "sub": "1",
        "aud": LOCAL_API_AUDIENCE,
        "client_id": "client-x",
        "scope": "openid api.read",
        "iat": now,
        "exp": now + 300,
        "jti": "j",
    }
    claims.update(overrides)
    return {key: value for key, value in claims.items() if value is not None}


def local_api_settings(**extra: Any) -> dict[str, Any]:
    """OIDC_CLAIMS for the local-validation views: their audience, the site's signing-key
    secret (to sign with database keys), plus ``extra``."""
    from django.conf import settings

    return {
        "RESOURCE_SERVER_AUDIENCE": LOCAL_API_AUDIENCE,
        "SIGNING_KEYS_ENCRYPTION_KEY": settings.OIDC_CLAIMS.get("SIGNING_KEYS_ENCRYPTION_KEY"),
        **extra,
    }
