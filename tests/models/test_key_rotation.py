"""The signing keys' state machine (next -> active -> retiring -> retired) and its command."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from oidc_claims.models.key_rotation import (
    advance,
    publish_seconds,
    retire_now,
    retire_seconds,
    start_rotation,
)
from oidc_claims.models.key_store import published_keys, signing_key_for
from oidc_claims.models.signing_keys import KeyState, SigningKey

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)


def states(algorithm: str = "ES256") -> list[str]:
    return list(
        SigningKey.objects.filter(algorithm=algorithm).order_by("created").values_list(
            "state", flat=True
        )
    )


def test_periods_derive_from_the_token_lifetimes_and_the_jwks_max_age(settings):
    # Test settings: JWKS max-age 3600 s (DOT's default), key-set cache 60 s.
    from oauth2_provider.settings import oauth2_settings

    longest = max(
        oauth2_settings.ACCESS_TOKEN_EXPIRE_SECONDS, oauth2_settings.ID_TOKEN_EXPIRE_SECONDS
    )
    assert publish_seconds() == 3600 + 60
    assert retire_seconds() == longest + 3600 + 60
    settings.OIDC_CLAIMS = {
        **settings.OIDC_CLAIMS,
        "SIGNING_KEY_PUBLISH_SECONDS": 10,
        "SIGNING_KEY_RETIRE_SECONDS": 20,
    }
    assert (publish_seconds(), retire_seconds()) == (10, 20)


def test_a_full_rotation_is_idempotent_at_every_step(settings):
    settings.OIDC_CLAIMS = {**settings.OIDC_CLAIMS, "SIGNING_KEY_ROTATE_SECONDS": 30 * 24 * 3600}
    start = timezone.now()
    # The first key is published before it signs.
    assert [str(t).split(": ")[1] for t in advance("ES256", now=start)] == ["created -> next"]
    assert advance("ES256", now=start) == []
    assert states() == ["next"]
    first = SigningKey.objects.get()
    assert first.kid in {key["kid"] for key in published_keys()}
    with pytest.raises(Exception, match="No active ES256 signing key"):
        signing_key_for("ES256")
    # Once published long enough, it signs.
    later = start + timedelta(seconds=publish_seconds())
    assert [t.to_state for t in advance("ES256", now=later)] == ["active"]
    assert advance("ES256", now=later) == []
    assert signing_key_for("ES256")[0] == first.kid
    # Before the rotation period ends, a successor is published (and only one).
    successor_due = later + timedelta(days=30) - timedelta(seconds=publish_seconds())
    assert advance("ES256", now=successor_due - HOUR) == []
    assert [t.to_state for t in advance("ES256", now=successor_due)] == ["next"]
    assert advance("ES256", now=successor_due) == []
    assert states() == ["active", "next"]
    assert signing_key_for("ES256")[0] == first.kid  # published, not yet signing
    # It takes over when due; the old key stays published, no longer signing.
    switch = successor_due + timedelta(seconds=publish_seconds())
    assert [t.to_state for t in advance("ES256", now=switch)] == ["retiring", "active"]
    assert advance("ES256", now=switch) == []
    assert states() == ["retiring", "active"]
    second = SigningKey.objects.get(state=KeyState.ACTIVE)
    assert signing_key_for("ES256")[0] == second.kid
    assert {first.kid, second.kid} <= {key["kid"] for key in published_keys()}
    first.refresh_from_db()
    assert first.retire_after == switch + timedelta(seconds=retire_seconds())
    # Until its tokens have expired; then it is retired, unpublished, its private key erased.
    assert advance("ES256", now=first.retire_after - timedelta(seconds=1)) == []
    assert [t.to_state for t in advance("ES256", now=first.retire_after)] == ["retired"]
    assert advance("ES256", now=first.retire_after) == []
    first.refresh_from_db()
    assert first.encrypted_private_key == "" and first.retired == first.retire_after
    assert first.kid not in {key["kid"] for key in published_keys()}


def test_algorithms_rotate_independently():
    now = timezone.now()
    advance("ES256", now=now, activate_first=True)
    advance("EdDSA", now=now)
    assert states("ES256") == ["active"] and states("EdDSA") == ["next"]
    assert states("RS256") == []


def test_activate_first_only_applies_to_an_algorithm_without_an_active_key():
    now = timezone.now()
    advance("EdDSA", now=now, activate_first=True)
    start_rotation("EdDSA", now=now)
    assert states("EdDSA") == ["active", "next"]
    assert advance("EdDSA", now=now, activate_first=True) == []


def test_start_rotation_publishes_one_successor():
    advance("RS256", activate_first=True)
    assert len(start_rotation("RS256")) == 1
    assert start_rotation("RS256") == []
    assert states("RS256") == ["active", "next"]


def test_retire_now_refuses_an_active_key_and_retires_a_waiting_one():
    advance("ES256", activate_first=True)
    start_rotation("ES256")
    active = SigningKey.objects.get(state=KeyState.ACTIVE)
    waiting = SigningKey.objects.get(state=KeyState.NEXT)
    with pytest.raises(ValueError, match="start a rotation"):
        retire_now(active)
    assert retire_now(waiting).to_state == "retired"
    assert states() == ["active", "retired"]


def test_command_rotates_the_named_algorithm_and_reports_each_transition():
    out = io.StringIO()
    call_command("rotate_signing_keys", "--algorithm", "ES256", "--activate-now", stdout=out)
    key = SigningKey.objects.get()
    assert f"ES256 key {key.kid}: created -> active" in out.getvalue()
    out = io.StringIO()
    call_command("rotate_signing_keys", stdout=out)  # every algorithm with keys
    assert "ES256: nothing due." in out.getvalue()
    call_command("rotate_signing_keys", "--algorithm", "ES256", "--start", stdout=io.StringIO())
    assert states() == ["active", "next"]


def test_command_without_keys_asks_for_an_algorithm():
    with pytest.raises(CommandError, match="--algorithm ES256"):
        call_command("rotate_signing_keys", stdout=io.StringIO())


def test_command_without_encryption_secret_says_what_to_set(settings):
    settings.OIDC_CLAIMS = {**settings.OIDC_CLAIMS, "SIGNING_KEYS_ENCRYPTION_KEY": None}
    with pytest.raises(CommandError, match="SIGNING_KEYS_ENCRYPTION_KEY"):
        call_command("rotate_signing_keys", "--algorithm", "EdDSA", stdout=io.StringIO())


def test_one_active_key_per_algorithm_is_enforced_by_the_database():
    from django.db import IntegrityError, transaction

    advance("ES256", activate_first=True)
    start_rotation("ES256")
    waiting = SigningKey.objects.get(state=KeyState.NEXT)
    with pytest.raises(IntegrityError), transaction.atomic():
        SigningKey.objects.filter(pk=waiting.pk).update(state=KeyState.ACTIVE)


def test_one_next_key_per_algorithm_is_enforced_by_the_database():
    from django.db import IntegrityError, transaction

    advance("ES256", activate_first=True)
    start_rotation("ES256")
    active = SigningKey.objects.get(state=KeyState.ACTIVE)
    with pytest.raises(IntegrityError), transaction.atomic():
        SigningKey.objects.filter(pk=active.pk).update(state=KeyState.NEXT)


def test_a_run_that_loses_the_race_to_create_a_key_leaves_the_winners_alone(monkeypatch):
    # Two cron runs on two machines: both saw no next key; the other one created it first.
    from oidc_claims.models import key_rotation

    advance("EdDSA", activate_first=True)
    start_rotation("EdDSA")
    winner = SigningKey.objects.get(state=KeyState.NEXT)
    unseen = key_rotation._locked
    monkeypatch.setattr(
        key_rotation, "_locked", lambda algorithm: unseen(algorithm).exclude(state=KeyState.NEXT)
    )
    assert start_rotation("EdDSA") == []
    assert advance("EdDSA", now=timezone.now() + timedelta(days=365)) == []
    assert list(SigningKey.objects.filter(state=KeyState.NEXT)) == [winner]
