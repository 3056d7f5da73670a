"""Each token-wiring system check fires when its configuration is wrong, and only then."""

from __future__ import annotations

import pytest
from django.core import checks
from django.test import override_settings

from oidc_claims.checks import tokens as checks_tokens


def dot_settings(**overrides):
    from django.conf import settings

    return override_settings(OAUTH2_PROVIDER={**settings.OAUTH2_PROVIDER, **overrides})


def ids(messages):
    return [message.id for message in messages]


TOKEN_CHECK_IDS = {f"oidc_claims.E00{n}" for n in (5, 6, 7, 8)} | {"oidc_claims.W002"}


def test_configured_site_passes():
    messages = checks.run_checks(tags=["oidc_claims"], include_deployment_checks=True, databases=[])
    assert [m for m in messages if m.id in TOKEN_CHECK_IDS] == []


def test_e005_validator_not_a_claims_validator():
    with dot_settings(OAUTH2_VALIDATOR_CLASS="oauth2_provider.oauth2_validators.OAuth2Validator"):
        messages = checks_tokens.check_validator_class()
    assert ids(messages) == ["oidc_claims.E005"]
    assert "ClaimsOAuth2Validator" in messages[0].hint


def test_e005_accepts_subclasses():
    with dot_settings(OAUTH2_VALIDATOR_CLASS="tests.validators_standard.StandardClaimsValidator"):
        assert checks_tokens.check_validator_class() == []


def test_e006_unknown_access_token_format():
    with override_settings(OIDC_CLAIMS={"ACCESS_TOKEN_FORMAT": "jws"}):
        messages = checks_tokens.check_access_token_format()
    assert ids(messages) == ["oidc_claims.E006"]
    assert "'jws'" in messages[0].msg


def test_e007_jwt_format_without_our_generator():
    with dot_settings(ACCESS_TOKEN_GENERATOR=None):
        messages = checks_tokens.check_access_token_generator()
    assert ids(messages) == ["oidc_claims.E007"]
    assert "generate_access_token" in messages[0].hint


def test_e007_not_raised_in_opaque_mode():
    with (
        dot_settings(ACCESS_TOKEN_GENERATOR=None),
        override_settings(OIDC_CLAIMS={"ACCESS_TOKEN_FORMAT": "opaque"}),
    ):
        assert checks_tokens.check_access_token_generator() == []


def test_e008_refresh_tokens_would_be_jwts():
    with dot_settings(REFRESH_TOKEN_GENERATOR=None):
        messages = checks_tokens.check_refresh_token_generator()
    assert ids(messages) == ["oidc_claims.E008"]
    assert "random_token_generator" in messages[0].hint


@pytest.mark.urls("tests.urls_dot_only")
def test_w005_dot_urls_instead_of_ours():
    messages = checks_tokens.check_urls()
    assert ids(messages) == ["oidc_claims.W002"]
    assert "oidc_claims.urls" in messages[0].hint


def test_w005_not_raised_with_our_urls():
    assert checks_tokens.check_urls() == []
