"""The resource-server helper stands alone: a DRF service without oidc_claims in
INSTALLED_APPS (and without django-oauth-toolkit importable) verifies the provider's JWT
access tokens against its JWKS over HTTP."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys

import pytest
import requests

from oidc_claims.models import ClaimDefinition
from tests.factories import CLIENT_SECRET, ApplicationFactory, AppProfileFactory
from tests.paths import ROOT

pytestmark = pytest.mark.django_db(transaction=True)

API = "https://api.example.com/"


def client_credentials_token(base_url: str, client_id: str) -> str:
    response = requests.post(
        f"{base_url}/o/token/",
        data={"grant_type": "client_credentials"},
        auth=(client_id, CLIENT_SECRET),
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def resource_server(base_url: str, calls: list[tuple[str, str]]) -> list[dict]:
    environment = {
        **os.environ,
        "IDP_ISSUER": f"{base_url}/o",
        "IDP_JWKS_URL": f"{base_url}/o/.well-known/jwks.json",
        "API_AUDIENCE": API,
        "PYTHONPATH": str(ROOT),
    }
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "drf_standalone" / "run.py")],
        input="\n".join(f"{path}={token}" for path, token in calls),
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def tampered(token: str) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["tier"] = "gold"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


def test_a_drf_service_without_the_app_verifies_tokens_against_the_jwks(live_server):
    service = ApplicationFactory(
        client_id="reporting",
        client_secret=CLIENT_SECRET,
        authorization_grant_type="client-credentials",
    )
    AppProfileFactory(application=service, access_token_audience=API)
    ClaimDefinition.objects.create(
        name="tier", value='"silver"', include_in_access_token=True, include_in_id_token=False
    )
    other = ApplicationFactory(
        client_id="elsewhere",
        client_secret=CLIENT_SECRET,
        authorization_grant_type="client-credentials",
    )
    token = client_credentials_token(live_server.url, "reporting")
    for_another_api = client_credentials_token(live_server.url, other.client_id)

    *calls, imported = resource_server(
        live_server.url,
        [
            ("hello", token),
            ("gold", token),
            ("gold", tampered(token)),
            ("hello", for_another_api),
        ],
    )

    assert calls[0] == {
        "path": "hello",
        "status": 200,
        "body": {"sub": "reporting", "tier": "silver"},
    }
    assert calls[1]["status"] == 403  # verified, but not gold
    assert calls[2]["status"] == 401  # the signature no longer matches
    assert calls[3] == {
        "path": "hello",
        "status": 401,
        "body": {"detail": "The access token is not meant for this API."},
    }
    # Only the helper, the settings object and the JOSE names: no models, engine or DOT.
    assert set(imported["modules"]) <= {
        "oidc_claims",
        "oidc_claims.conf",
        "oidc_claims.jose",
        "oidc_claims.contrib",
        "oidc_claims.contrib.rest_framework",
        "oidc_claims.contrib.rest_framework.authentication",
        "oidc_claims.contrib.rest_framework.keys",
        "oidc_claims.contrib.rest_framework.permissions",
    }
