"""The keys a process signs and publishes with: database keys and DOT's, kept for a short TTL.

Every process reads the published keys (states next, active, retiring) at most once per
``SIGNING_KEYS_CACHE_SECONDS``, so a token request costs no query for its key. A process
with a slightly stale set is still correct: a key is published (``next``) for longer than
the TTL before any process may sign with it, and stays published (``retiring``) for longer
than the TTL plus the tokens' lifetime after it stops signing
(:mod:`oidc_claims.models.key_rotation`).

DOT's ``OIDC_RSA_PRIVATE_KEY`` stays the zero-configuration RS256 key: published while it is
set, and signing RS256 tokens while no database RS256 key is active. DOT's
``OIDC_RSA_PRIVATE_KEYS_INACTIVE`` are published too.
"""

from __future__ import annotations

import functools
import json
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.signals import setting_changed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from jwcrypto import jwk

from oidc_claims.conf import claims_settings
from oidc_claims.exceptions import SigningUnavailable
from oidc_claims.models.key_encryption import EncryptionKeyError, decrypt_private_key
from oidc_claims.models.signing_keys import PUBLISHED_STATES, RS256, KeyState, SigningKey

# What a signing entry holds: an encrypted database key, or DOT's PEM setting.
_DATABASE, _SETTING = "database", "setting"


@dataclass(frozen=True)
class KeySet:
    """The published keys (JWKS entries) and, per algorithm, the key that signs."""

    published: tuple[Mapping[str, Any], ...]
    # algorithm -> (kid, source, encrypted key or PEM)
    signing: Mapping[str, tuple[str, str, str]] = field(default_factory=dict)

    @property
    def signing_algorithms(self) -> frozenset[str]:
        return frozenset(self.signing)


_lock = threading.Lock()
_cached: tuple[float, tuple[str, ...], KeySet] | None = None


def _dot_pems() -> tuple[str, ...]:
    from oauth2_provider.settings import oauth2_settings

    active = oauth2_settings.OIDC_RSA_PRIVATE_KEY or ""
    return (active, *(pem for pem in oauth2_settings.OIDC_RSA_PRIVATE_KEYS_INACTIVE if pem))


@functools.lru_cache(maxsize=16)
def _public_entry_of_pem(pem: str) -> dict[str, Any]:
    from oauth2_provider.utils import jwk_from_pem

    key = jwk_from_pem(pem)
    return {**json.loads(key.export_public()), "kid": key.thumbprint(), "alg": RS256, "use": "sig"}


def _load(pems: tuple[str, ...]) -> KeySet:
    published: list[dict[str, Any]] = []
    signing: dict[str, tuple[str, str, str]] = {}
    rows = SigningKey.objects.filter(state__in=PUBLISHED_STATES).values_list(
        "kid", "algorithm", "state", "public_jwk", "encrypted_private_key"
    )
    for kid, algorithm, state, public_jwk, encrypted in rows:
        published.append({**public_jwk, "kid": kid, "alg": algorithm, "use": "sig"})
        if state == KeyState.ACTIVE:
            signing[algorithm] = (kid, _DATABASE, encrypted)
    seen = {entry["kid"] for entry in published}
    for index, pem in enumerate(pems):
        if not pem:
            continue
        entry = _public_entry_of_pem(pem)
        if entry["kid"] not in seen:
            published.append(entry)
            seen.add(entry["kid"])
        if index == 0 and RS256 not in signing:
            signing[RS256] = (entry["kid"], _SETTING, pem)
    return KeySet(published=tuple(published), signing=signing)


def current_key_set() -> KeySet:
    """The key set, read from the database at most once per ``SIGNING_KEYS_CACHE_SECONDS``."""
    global _cached
    pems = _dot_pems()
    now = time.monotonic()
    cached = _cached
    if cached is not None and cached[0] > now and cached[1] == pems:
        return cached[2]
    with _lock:
        key_set = _load(pems)
        _cached = (now + claims_settings.SIGNING_KEYS_CACHE_SECONDS, pems, key_set)
    return key_set


def forget_key_set(**kwargs: Any) -> None:
    """Drop this process's cached key set (after a change made here, or in tests)."""
    global _cached
    _cached = None


@functools.lru_cache(maxsize=32)
def _private_key(source: str, material: str) -> jwk.JWK:
    # Keyed by the encrypted text or PEM: a re-encrypted or replaced key is another entry.
    pem = decrypt_private_key(material) if source == _DATABASE else material.encode()
    return jwk.JWK.from_pem(pem)


def signing_key_for(algorithm: str) -> tuple[str, jwk.JWK]:
    """``(kid, private key)`` that signs ``algorithm`` now; SigningUnavailable if there is
    none, or if the encryption secret does not open it."""
    entry = current_key_set().signing.get(algorithm)
    if entry is None:
        raise SigningUnavailable(
            f"No active {algorithm} signing key: run "
            f"'manage.py rotate_signing_keys --algorithm {algorithm}' (a new key signs once it "
            "has been published for SIGNING_KEY_PUBLISH_SECONDS), or choose another algorithm."
        )
    kid, source, material = entry
    try:
        return kid, _private_key(source, material)
    except EncryptionKeyError as exc:
        raise SigningUnavailable(
            f"The active {algorithm} signing key {kid} cannot be decrypted: {exc}"
        ) from exc


def published_keys() -> list[dict[str, Any]]:
    """The JWKS ``keys``: every published key's public members with ``kid``, ``alg``, ``use``."""
    return [dict(entry) for entry in current_key_set().published]


def verification_key_set() -> jwk.JWKSet:
    """The published keys as a jwcrypto key set (to verify this provider's own tokens)."""
    return jwk.JWKSet.from_json(json.dumps({"keys": published_keys()}))


@receiver(setting_changed)
def _settings_changed(*, setting: str, **kwargs: Any) -> None:
    if setting in ("OIDC_CLAIMS", "OAUTH2_PROVIDER"):
        forget_key_set()


post_save.connect(forget_key_set, sender=SigningKey, dispatch_uid="oidc_claims_key_saved")
post_delete.connect(forget_key_set, sender=SigningKey, dispatch_uid="oidc_claims_key_deleted")


def id_token_algorithm_problem(algorithm: str) -> str | None:
    """Why ID tokens cannot be signed with ``algorithm`` now (None: they can, or it is empty)."""
    if not algorithm or algorithm in current_key_set().signing_algorithms:
        return None
    return (
        f"The provider has no active {algorithm} signing key. Run 'manage.py "
        f"rotate_signing_keys --algorithm {algorithm}' and choose {algorithm} once its key is "
        "active (or choose an algorithm with an active key)."
    )
