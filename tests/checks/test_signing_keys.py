"""Each signing-key check fires when its configuration is wrong, and only then."""

from __future__ import annotations

import pytest
from django.core import checks

from oidc_claims.checks import signing_keys as checks_keys
from tests.factories import AppProfileFactory
from tests.signing_support import active_key


def ids(messages: list[checks.CheckMessage]) -> list[str]:
    return [message.id for message in messages]


def claims_settings(settings, **overrides):
    settings.OIDC_CLAIMS = {**settings.OIDC_CLAIMS, **overrides}


def test_the_configured_site_passes():
    for check in (
        checks_keys.check_access_token_algorithm,
        checks_keys.check_resource_server_algorithms,
        checks_keys.check_overlap_periods,
        checks_keys.check_encryption_secret_form,
    ):
        assert check() == []


@pytest.mark.django_db
def test_the_configured_database_passes():
    assert checks_keys.check_database_keys(databases=["default"]) == []


def test_e017_a_short_encryption_secret(settings):
    claims_settings(settings, SIGNING_KEYS_ENCRYPTION_KEY=["long-enough-secret-" * 3, "short"])
    messages = checks_keys.check_encryption_secret_form()
    assert ids(messages) == ["oidc_claims.E017"]
    assert "token_urlsafe(32)" in messages[0].hint


@pytest.mark.django_db
def test_e017_stored_keys_without_encryption_secret(settings):
    active_key("ES256")
    claims_settings(settings, SIGNING_KEYS_ENCRYPTION_KEY=None)
    messages = checks_keys.check_database_keys(databases=["default"])
    assert ids(messages) == ["oidc_claims.E017"]
    assert "1 signing key(s) are stored" in messages[0].msg
    assert messages[0].hint.startswith("Set OIDC_CLAIMS['SIGNING_KEYS_ENCRYPTION_KEY'] to")


@pytest.mark.django_db
def test_e017_stored_keys_that_no_secret_decrypts(settings):
    key = active_key("EdDSA")
    claims_settings(settings, SIGNING_KEYS_ENCRYPTION_KEY="another-secret-of-forty-characters")
    messages = checks_keys.check_database_keys(databases=["default"])
    assert ids(messages) == ["oidc_claims.E017"]
    assert key.kid in messages[0].msg
    assert messages[0].hint.startswith("Put back the secret they were encrypted with")


def test_e018_an_unknown_access_token_algorithm(settings):
    claims_settings(settings, ACCESS_TOKEN_SIGNING_ALG="HS256")
    messages = checks_keys.check_access_token_algorithm()
    assert ids(messages) == ["oidc_claims.E018"]
    assert "'ES256', 'EdDSA', 'RS256'" in messages[0].hint


@pytest.mark.parametrize("value", [("RS256", "none"), ("HS256",), ()])
def test_e019_resource_server_algorithms_beyond_the_asymmetric_ones(settings, value):
    claims_settings(settings, RESOURCE_SERVER_ALGORITHMS=value)
    assert ids(checks_keys.check_resource_server_algorithms()) == ["oidc_claims.E019"]


@pytest.mark.django_db
def test_e020_an_algorithm_in_use_without_active_key(settings):
    claims_settings(settings, ACCESS_TOKEN_SIGNING_ALG="ES256")
    AppProfileFactory(id_token_signed_response_alg="EdDSA")
    messages = checks_keys.check_database_keys(databases=["default"])
    assert ids(messages) == ["oidc_claims.E020", "oidc_claims.E020"]
    assert "rotate_signing_keys --algorithm ES256" in messages[0].hint
    assert "application profile" in messages[1].msg
    active_key("ES256")
    active_key("EdDSA")
    assert checks_keys.check_database_keys(databases=["default"]) == []


def test_w007_a_retire_period_shorter_than_the_tokens(settings):
    claims_settings(settings, SIGNING_KEY_RETIRE_SECONDS=60)
    messages = checks_keys.check_overlap_periods()
    assert ids(messages) == ["oidc_claims.W007"]
    assert "at least" in messages[0].hint


def test_w008_a_publication_shorter_than_the_jwks_cache(settings):
    claims_settings(settings, SIGNING_KEY_PUBLISH_SECONDS=60)
    messages = checks_keys.check_overlap_periods()
    assert ids(messages) == ["oidc_claims.W008"]
    assert "Set it to at least 3660" in messages[0].hint


def test_database_checks_wait_for_a_database():
    assert checks_keys.check_database_keys() == []


@pytest.mark.django_db
def test_w009_a_rotation_that_does_not_run(settings):
    from datetime import timedelta

    from django.utils import timezone

    from oidc_claims.models.key_rotation import OVERDUE_SECONDS, advance, publish_seconds
    from oidc_claims.models.signing_keys import SigningKey

    claims_settings(settings, SIGNING_KEY_ROTATE_SECONDS=30 * 24 * 3600)
    start = timezone.now() - timedelta(days=60)
    advance("ES256", now=start)  # a first key, published: due to sign after the publication
    [key] = SigningKey.objects.all()
    due = start + timedelta(seconds=publish_seconds())
    # On time while the cron has had less than OVERDUE_SECONDS to run.
    SigningKey.objects.update(activate_after=timezone.now() - timedelta(seconds=60))
    assert checks_keys.check_rotation_on_time(databases=["default"]) == []
    SigningKey.objects.update(activate_after=due)
    messages = checks_keys.check_rotation_on_time(databases=["default"])
    assert ids(messages) == ["oidc_claims.W009"]
    assert f"the ES256 key {key.kid} was due to sign on" in messages[0].msg
    assert "rotate_signing_keys" in messages[0].hint
    # The rotation ran once, late: the key signs; with no run since, it has signed for 60
    # days, past the 30-day rotation period and its successor's publication.
    advance("ES256", now=due)
    [message] = checks_keys.check_rotation_on_time(databases=["default"])
    assert "has signed since" in message.msg and "SIGNING_KEY_ROTATE_SECONDS" in message.msg
    recently = timezone.now() - timedelta(days=30, seconds=publish_seconds() - 60)
    SigningKey.objects.filter(pk=key.pk).update(activated=recently)
    assert checks_keys.check_rotation_on_time(databases=["default"]) == []
    SigningKey.objects.filter(pk=key.pk).update(
        activated=recently - timedelta(seconds=OVERDUE_SECONDS + 120)
    )
    assert ids(checks_keys.check_rotation_on_time(databases=["default"])) == ["oidc_claims.W009"]
    assert checks_keys.check_rotation_on_time() == []  # without a database: nothing read
