"""Each system check of the foundation fires when its configuration is wrong, and only then."""

from __future__ import annotations

import pytest
from django.core import checks
from django.test import override_settings
from jwcrypto import jwk

from oidc_claims.checks import provider as claims_checks


def oauth2_provider_settings(**overrides):
    from django.conf import settings

    return override_settings(OAUTH2_PROVIDER={**settings.OAUTH2_PROVIDER, **overrides})


def ids(messages: list[checks.CheckMessage]) -> list[str]:
    return [message.id for message in messages]


def test_configured_site_passes_every_check():
    assert checks.run_checks(tags=[claims_checks.TAG], databases=[]) == []


def test_e001_oidc_disabled():
    with oauth2_provider_settings(OIDC_ENABLED=False):
        messages = claims_checks.check_oidc_enabled()
    assert ids(messages) == ["oidc_claims.E001"]
    assert "OIDC_ENABLED" in messages[0].hint


def test_e002_no_signing_key():
    with oauth2_provider_settings(OIDC_RSA_PRIVATE_KEY=""):
        messages = claims_checks.check_signing_key()
    assert ids(messages) == ["oidc_claims.E002"]
    assert "OIDC_RSA_PRIVATE_KEY" in messages[0].hint


UNREADABLE_PEM_HINT = (
    "Give the whole PEM text, including the BEGIN/END lines, of an RSA private key (not a "
    "public key or certificate)."
)
NOT_RSA_PRIVATE_HINT = "Use a PEM-encoded RSA private key of at least 2048 bits."


@pytest.mark.parametrize(
    ("pem", "hint"),
    [
        (
            "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n",
            UNREADABLE_PEM_HINT,
        ),
        (
            jwk.JWK.generate(kty="RSA", size=2048).export_to_pem(private_key=False).decode(),
            NOT_RSA_PRIVATE_HINT,
        ),
        (
            jwk.JWK.generate(kty="EC", crv="P-256")
            .export_to_pem(private_key=True, password=None)
            .decode(),
            NOT_RSA_PRIVATE_HINT,
        ),
    ],
    ids=["garbage", "rsa-public-key", "ec-private-key"],
)
def test_e003_unusable_signing_key(pem, hint):
    with oauth2_provider_settings(OIDC_RSA_PRIVATE_KEY=pem):
        messages = claims_checks.check_signing_key()
    assert ids(messages) == ["oidc_claims.E003"]
    assert messages[0].hint == hint


def test_signing_key_check_defers_to_e001_when_oidc_is_off():
    with oauth2_provider_settings(OIDC_ENABLED=False, OIDC_RSA_PRIVATE_KEY=""):
        assert claims_checks.check_signing_key() == []
