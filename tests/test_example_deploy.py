"""The example project as deployed: `manage.py check --deploy` with production-like
environment variables reports no error, and DEBUG is off unless DJANGO_DEBUG=1."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def python(*args: str, **environment: str) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "OIDC_", "DATABASE_URL", "REDIS_URL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="example_project.settings",
        # A key from the environment: nothing is written into the checkout.
        OIDC_RSA_PRIVATE_KEY=settings.OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"],
        **environment,
    )
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "idp.example.com",
    "OIDC_ISSUER": "https://idp.example.com/o",
    "DATABASE_URL": "postgres://idp@db.example.com:5432/idp",
    "REDIS_URL": "redis://cache.example.com:6379/0",
}


def test_check_deploy_reports_no_error_with_production_environment():
    result = python("manage.py", "check", "--deploy", **PRODUCTION)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "ERRORS:" not in output
    assert "oidc_claims.E" not in output and "oauth2_provider.E" not in output


def test_check_deploy_refuses_the_demo_configuration():
    # Without a secret key the example is the local demo: http redirect URIs, a public key.
    result = python("manage.py", "check", "--deploy")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "oauth2_provider.E003" in output and "security.W009" in output


def show(*names: str, **environment: str) -> list[str]:
    code = f"from django.conf import settings; print(*[getattr(settings, n) for n in {names!r}])"
    result = python("-c", code, **environment)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, ["False", "False"]),
        ({"DJANGO_DEBUG": "1"}, ["True", "False"]),
        (PRODUCTION, ["False", "True"]),
    ],
)
def test_debug_is_off_unless_asked_and_cookies_are_secure_in_deploy_mode(environment, expected):
    assert show("DEBUG", "SESSION_COOKIE_SECURE", **environment) == expected
