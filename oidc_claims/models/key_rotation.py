"""The signing keys' state machine: next -> active -> retiring -> retired, with its periods.

``advance(algorithm)`` makes every transition that is due and nothing else, so running it
again changes nothing, and running it from cron every few minutes rotates keys on time:

* a ``retiring`` key whose ``retire_after`` has passed is ``retired`` (unpublished, private
  key erased);
* the oldest ``next`` key whose ``activate_after`` has passed becomes ``active``; the
  previous active key becomes ``retiring`` until ``now + retire_seconds()``;
* without a ``next`` key, one is created when there is no active key, or when the active
  key will have signed for ``SIGNING_KEY_ROTATE_SECONDS`` once the new one is published.

A key is published ``publish_seconds()`` before it signs, longer than a resource server's
JWKS cache (DOT's ``OIDC_JWKS_MAX_AGE_SECONDS``) and a process's key-set cache; it stays
published ``retire_seconds()`` after it stops signing, longer than any token it signed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from jwcrypto import jwk

from oidc_claims.conf import claims_settings
from oidc_claims.models.key_encryption import encrypt_private_key, reencrypted
from oidc_claims.models.signing_keys import ALGORITHMS, EDDSA, ES256, RS256, KeyState, SigningKey

# RSA modulus size of new RS256 keys (bits).
RSA_KEY_BITS = 2048
_NEW_KEY_PARAMETERS = {
    ES256: {"kty": "EC", "crv": "P-256"},
    EDDSA: {"kty": "OKP", "crv": "Ed25519"},
    RS256: {"kty": "RSA", "size": RSA_KEY_BITS},
}


def jwks_max_age() -> int:
    """Seconds a resource server may cache the JWKS (DOT's ``OIDC_JWKS_MAX_AGE_SECONDS``)."""
    from oauth2_provider.settings import oauth2_settings

    return int(oauth2_settings.OIDC_JWKS_MAX_AGE_SECONDS)


def longest_token_lifetime() -> int:
    """Seconds the longest-lived signed token (access or ID token) is valid."""
    from oauth2_provider.settings import oauth2_settings

    return max(
        int(oauth2_settings.ACCESS_TOKEN_EXPIRE_SECONDS),
        int(oauth2_settings.ID_TOKEN_EXPIRE_SECONDS),
    )


def publish_seconds() -> int:
    """How long a new key is published before it signs."""
    configured = claims_settings.SIGNING_KEY_PUBLISH_SECONDS
    if configured is not None:
        return int(configured)
    return jwks_max_age() + int(claims_settings.SIGNING_KEYS_CACHE_SECONDS)


def retire_seconds() -> int:
    """How long a key stays published after it stops signing."""
    configured = claims_settings.SIGNING_KEY_RETIRE_SECONDS
    if configured is not None:
        return int(configured)
    cache_seconds = int(claims_settings.SIGNING_KEYS_CACHE_SECONDS)
    return longest_token_lifetime() + jwks_max_age() + cache_seconds


@dataclass(frozen=True)
class Transition:
    """One change of a key's state (``from_state`` None: the key was created)."""

    kid: str
    algorithm: str
    from_state: str | None
    to_state: str

    def __str__(self) -> str:
        before = self.from_state or "created"
        return f"{self.algorithm} key {self.kid}: {before} -> {self.to_state}"


def _check_algorithm(algorithm: str) -> None:
    if algorithm not in ALGORITHMS:
        raise ValueError(
            f"Unsupported signing algorithm {algorithm!r}; choose one of {', '.join(ALGORITHMS)}."
        )


def create_key(
    algorithm: str, *, now: datetime | None = None, activate: bool = False
) -> SigningKey:
    """A new key of ``algorithm``, published at once; ``activate`` (only without an active
    key of that algorithm) lets it sign at once, for a site's first key."""
    _check_algorithm(algorithm)
    now = now or timezone.now()
    key = jwk.JWK.generate(**_NEW_KEY_PARAMETERS[algorithm])
    private_pem = key.export_to_pem(private_key=True, password=None)
    return SigningKey.objects.create(
        kid=key.thumbprint(),
        algorithm=algorithm,
        state=KeyState.ACTIVE if activate else KeyState.NEXT,
        public_jwk=json.loads(key.export_public()),
        encrypted_private_key=encrypt_private_key(private_pem),
        activate_after=now if activate else now + timedelta(seconds=publish_seconds()),
        activated=now if activate else None,
    )


def _locked(algorithm: str):
    return SigningKey.objects.select_for_update().filter(algorithm=algorithm).order_by("created")


def _retire(key: SigningKey, now: datetime) -> Transition:
    before = key.state
    key.state = KeyState.RETIRED
    key.retired = now
    key.encrypted_private_key = ""  # a retired key can never sign again
    key.save(update_fields=["state", "retired", "encrypted_private_key"])
    return Transition(key.kid, key.algorithm, before, KeyState.RETIRED)


def advance(
    algorithm: str, *, now: datetime | None = None, activate_first: bool = False
) -> list[Transition]:
    """Make every transition due for ``algorithm`` at ``now`` (see the module docstring)."""
    _check_algorithm(algorithm)
    now = now or timezone.now()
    done: list[Transition] = []
    with transaction.atomic():
        keys = list(_locked(algorithm).exclude(state=KeyState.RETIRED))
        for key in keys:
            if key.state == KeyState.RETIRING and key.retire_after <= now:
                done.append(_retire(key, now))
        active = next((key for key in keys if key.state == KeyState.ACTIVE), None)
        due = next(
            (k for k in keys if k.state == KeyState.NEXT and k.activate_after <= now), None
        )
        if due is not None:
            if active is not None:
                active.state = KeyState.RETIRING
                active.retiring_since = now
                active.retire_after = now + timedelta(seconds=retire_seconds())
                active.save(update_fields=["state", "retiring_since", "retire_after"])
                done.append(Transition(active.kid, algorithm, KeyState.ACTIVE, KeyState.RETIRING))
            due.state = KeyState.ACTIVE
            due.activated = now
            due.save(update_fields=["state", "activated"])
            done.append(Transition(due.kid, algorithm, KeyState.NEXT, KeyState.ACTIVE))
            active = due
        has_next = any(k.state == KeyState.NEXT and k is not due for k in keys)
        if not has_next and _successor_needed(active, now):
            created = _create_unless_raced(
                algorithm, now=now, activate=active is None and activate_first
            )
            if created is not None:
                done.append(Transition(created.kid, algorithm, None, created.state))
    return done


def _create_unless_raced(algorithm: str, *, now: datetime, activate: bool) -> SigningKey | None:
    # With no row to lock yet, two runs (cron on two machines) may both decide to create a
    # key; the database keeps one next (and one active) key per algorithm, and the run that
    # loses the race leaves the winner's key alone.
    try:
        with transaction.atomic():
            return create_key(algorithm, now=now, activate=activate)
    except IntegrityError:
        return None


def _successor_needed(active: SigningKey | None, now: datetime) -> bool:
    if active is None:
        return True
    rotate_at = active.activated + timedelta(seconds=claims_settings.SIGNING_KEY_ROTATE_SECONDS)
    return rotate_at - timedelta(seconds=publish_seconds()) <= now


def start_rotation(algorithm: str, *, now: datetime | None = None) -> list[Transition]:
    """Publish a successor of ``algorithm``'s active key now (none when one is already
    waiting); it signs once published for ``publish_seconds()``, at a later ``advance``."""
    _check_algorithm(algorithm)
    with transaction.atomic():
        waiting = list(_locked(algorithm).filter(state=KeyState.NEXT))
        if waiting:
            return []
        created = _create_unless_raced(algorithm, now=now or timezone.now(), activate=False)
    return [] if created is None else [Transition(created.kid, algorithm, None, created.state)]


def retire_now(key: SigningKey, *, now: datetime | None = None) -> Transition:
    """Retire a ``next`` or ``retiring`` key at once. An active key is refused: start a
    rotation, and it stops signing when its successor becomes active."""
    if key.state == KeyState.ACTIVE:
        raise ValueError(
            f"The {key.algorithm} key {key.kid} is active (it signs): start a rotation; it stops "
            "signing when its successor becomes active, and is retired after its tokens expire."
        )
    if key.state == KeyState.RETIRED:
        return Transition(key.kid, key.algorithm, KeyState.RETIRED, KeyState.RETIRED)
    with transaction.atomic():
        return _retire(key, now or timezone.now())


def reencrypt_keys() -> int:
    """Encrypt every stored private key again under the first configured secret."""
    count = 0
    with transaction.atomic():
        for key in SigningKey.objects.select_for_update().exclude(encrypted_private_key=""):
            key.encrypted_private_key = reencrypted(key.encrypted_private_key)
            key.save(update_fields=["encrypted_private_key"])
            count += 1
    return count


# How late a due transition may be before it counts as missed: cron runs the rotation every few
# minutes, so an hour late means it does not run (or fails).
OVERDUE_SECONDS = 3600


def overdue_rotations(*, now: datetime | None = None) -> list[str]:
    """What the rotation should have done more than ``OVERDUE_SECONDS`` ago and has not:
    a sign that ``rotate_signing_keys`` is not scheduled, or fails. Empty when on time."""
    now = now or timezone.now()
    late = now - timedelta(seconds=OVERDUE_SECONDS)
    rotate_after = timedelta(seconds=claims_settings.SIGNING_KEY_ROTATE_SECONDS + publish_seconds())
    problems = []
    keys = SigningKey.objects.exclude(state=KeyState.RETIRED).order_by("algorithm", "created")
    for key in keys:
        if key.state == KeyState.NEXT and key.activate_after <= late:
            problems.append(
                f"the {key.algorithm} key {key.kid} was due to sign on "
                f"{key.activate_after:%Y-%m-%d %H:%M} UTC and is still next"
            )
        elif key.state == KeyState.RETIRING and key.retire_after <= late:
            problems.append(
                f"the {key.algorithm} key {key.kid} was due to be retired on "
                f"{key.retire_after:%Y-%m-%d %H:%M} UTC and is still published"
            )
        elif key.state == KeyState.ACTIVE and key.activated + rotate_after <= late:
            problems.append(
                f"the {key.algorithm} key {key.kid} has signed since "
                f"{key.activated:%Y-%m-%d %H:%M} UTC, longer than SIGNING_KEY_ROTATE_SECONDS "
                "and the publication of a successor"
            )
    return problems
