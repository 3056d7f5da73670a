"""Client secrets: a fast hasher for high-entropy secrets, and the strength a secret must have.

Django's password hashers are slow on purpose (PBKDF2 runs 1,000,000 SHA-256 iterations) so
that a stolen hash of a human-chosen password costs a lot to guess. A client secret is no such
password: DOT generates 128 random characters (about 760 bits) and :func:`secret_problem`
refuses a hand-set secret of under 128 bits, a search that no iteration count changes
anything to. Slow hashing would only cost each confidential client's token request ~0.2 s of
CPU, so :class:`ClientSecretHasher` stores a salted SHA-256 and checks it in a microsecond.

Settings (the example project's)::

    PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",  # users' passwords: first
        ...,
        "oidc_claims.oauth.client_secrets.ClientSecretHasher",  # never first (check E015)
    ]
    OAUTH2_PROVIDER = {..., "CLIENT_SECRET_HASHER": "oidc_claims_sha256"}
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from typing import Any

from django.contrib.auth.hashers import BasePasswordHasher, identify_hasher, mask_hash
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_noop as _

ALGORITHM = "oidc_claims_sha256"
# A hand-set secret must be at least this long and carry at least this many bits, estimated as
# its length times the Shannon entropy of its own characters (so "aaaa…" or "abab…" fail).
MIN_SECRET_LENGTH = 32
MIN_SECRET_BITS = 128


class ClientSecretHasher(BasePasswordHasher):
    """Salted SHA-256 for client secrets (``oidc_claims_sha256$<salt>$<hex digest>``).

    Only for secrets with at least 128 bits of entropy: never list it first in
    ``PASSWORD_HASHERS``, where Django would hash users' passwords with it.
    """

    algorithm = ALGORITHM

    def encode(self, password: str, salt: str) -> str:
        self._check_encode_args(password, salt)
        digest = hashlib.sha256(f"{salt}${password}".encode()).hexdigest()
        return f"{self.algorithm}${salt}${digest}"

    def decode(self, encoded: str) -> dict[str, Any]:
        algorithm, salt, digest = encoded.split("$", 2)
        assert algorithm == self.algorithm  # noqa: S101 - Django's hashers do the same
        return {"algorithm": algorithm, "hash": digest, "salt": salt}

    def verify(self, password: str, encoded: str) -> bool:
        decoded = self.decode(encoded)
        return constant_time_compare(encoded, self.encode(password, decoded["salt"]))

    def safe_summary(self, encoded: str) -> dict[str, str]:
        decoded = self.decode(encoded)
        return {
            _("algorithm"): decoded["algorithm"],
            _("salt"): mask_hash(decoded["salt"], show=2),
            _("hash"): mask_hash(decoded["hash"]),
        }

    def harden_runtime(self, password: str, encoded: str) -> None:
        pass  # a single round: nothing to even out between hashes


def is_hashed(secret: str) -> bool:
    """Whether ``secret`` is a hash some configured password hasher recognises."""
    try:
        identify_hasher(secret)
    except ValueError:
        return False
    return True


def estimated_bits(secret: str) -> float:
    """``secret``'s length times the Shannon entropy (bits) of its character frequencies."""
    if not secret:
        return 0.0
    length = len(secret)
    per_character = -sum(
        (count / length) * math.log2(count / length) for count in Counter(secret).values()
    )
    return length * per_character


def secret_problem(secret: str) -> str | None:
    """Why ``secret`` (in clear) is too weak to be a client secret, or None if it is not."""
    bits = estimated_bits(secret)
    if len(secret) >= MIN_SECRET_LENGTH and bits >= MIN_SECRET_BITS:
        return None
    return (
        f"This client secret is too weak ({len(secret)} characters, about {bits:.0f} bits): a "
        f"client secret needs at least {MIN_SECRET_LENGTH} characters and {MIN_SECRET_BITS} "
        "bits of randomness, because it is checked with a fast hash. Keep the secret generated "
        "for the application, or set a random one such as the output of "
        "`python -c \"import secrets; print(secrets.token_urlsafe(32))\"`."
    )
