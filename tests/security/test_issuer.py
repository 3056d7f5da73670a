"""The issuer is configured: a forged Host header changes neither discovery's issuer nor `iss`."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import requests
from django.core import checks
from django.test import Client, override_settings

from oidc_claims.checks import security as checks_security
from tests.factories import CLIENT_SECRET, ApplicationFactory, UserFactory
from tests.paths import ROOT
from tests.tokens_support import code_flow, verify

ISSUER = "https://idp.example.com/o"
FORGED_HOST = "evil.example"


def configured_issuer(issuer: str = ISSUER):
    from django.conf import settings

    return override_settings(
        OAUTH2_PROVIDER={**settings.OAUTH2_PROVIDER, "OIDC_ISS_ENDPOINT": issuer}
    )


@pytest.mark.django_db(transaction=True)
def test_a_forged_host_changes_neither_discovery_nor_access_tokens(live_server):
    service = ApplicationFactory(authorization_grant_type="client-credentials", redirect_uris="")
    forged = {"Host": FORGED_HOST}
    discovery_url = f"{live_server.url}/o/.well-known/openid-configuration"

    # Unconfigured, DOT builds the issuer from the Host header: what check E010 is about.
    assert requests.get(discovery_url, headers=forged, timeout=30).json()["issuer"] == (
        f"http://{FORGED_HOST}/o"
    )

    with configured_issuer():
        discovery = requests.get(discovery_url, headers=forged, timeout=30).json()
        token = requests.post(
            f"{live_server.url}/o/token/",
            data={"grant_type": "client_credentials"},
            auth=(service.client_id, CLIENT_SECRET),
            headers=forged,
            timeout=30,
        )
    assert discovery["issuer"] == ISSUER
    assert token.status_code == 200, token.text
    _, claims = verify(token.json()["access_token"])
    assert claims["iss"] == ISSUER


@pytest.mark.django_db
def test_a_forged_host_does_not_change_the_id_token_issuer():
    user = UserFactory()
    app = ApplicationFactory()
    browser = Client(HTTP_HOST=FORGED_HOST)
    browser.force_login(user)
    with configured_issuer():
        tokens = code_flow(browser, app, scope="openid")
    _, id_token = verify(tokens["id_token"])
    _, access_token = verify(tokens["access_token"])
    assert id_token["iss"] == access_token["iss"] == ISSUER


def test_e009_an_unconfigured_issuer_is_a_deploy_error():
    with configured_issuer(""):
        deploy = checks.run_checks(
            tags=["oidc_claims"], include_deployment_checks=True, databases=[]
        )
        development = checks.run_checks(tags=["oidc_claims"], databases=[])
    [message] = [m for m in deploy if m.id == "oidc_claims.E010"]
    assert isinstance(message, checks.Error)
    assert "Host header" in message.msg
    assert "OAUTH2_PROVIDER['OIDC_ISS_ENDPOINT']" in message.hint
    assert "oidc_claims.E010" not in {m.id for m in development}
    with configured_issuer():
        assert checks_security.check_issuer_configured() == []


def example_project_deploy_check(**environment: str) -> str:
    """`manage.py check --deploy` of the example project with a production-like environment."""
    root = ROOT
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "OIDC_ISSUER", "DJANGO_DEBUG"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "example_project.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "x" * 64,
            "DJANGO_ALLOWED_HOSTS": "idp.example.com",
            **environment,
        }
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--tag", "oidc_claims"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.stdout + result.stderr


def test_the_example_projects_issuer_comes_from_oidc_issuer():
    assert "oidc_claims.E010" in example_project_deploy_check()
    assert "oidc_claims.E010" not in example_project_deploy_check(OIDC_ISSUER=ISSUER)
