"""Encryption at rest of the signing keys' private parts, under ``SIGNING_KEYS_ENCRYPTION_KEY``.

The setting holds one secret, or a list whose first secret encrypts and whose every secret
decrypts (to change the secret: put the new one first, run
``manage.py rotate_signing_keys --reencrypt``, then drop the old one). Each secret is
stretched with HKDF-SHA256 into a Fernet key (AES-128-CBC with HMAC-SHA256).
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.core.exceptions import ImproperlyConfigured

from oidc_claims.conf import claims_settings

SETTING = "OIDC_CLAIMS['SIGNING_KEYS_ENCRYPTION_KEY']"
# Shortest secret accepted (characters): ``secrets.token_urlsafe(32)`` gives 43.
MIN_SECRET_LENGTH = 32
GENERATE_HINT = (
    f"Set {SETTING} to a random secret of at least {MIN_SECRET_LENGTH} characters read from "
    "the environment, e.g. made with: "
    'python -c "import secrets; print(secrets.token_urlsafe(32))"'
)


class EncryptionKeyError(ImproperlyConfigured):
    """The encryption secret is missing, malformed, or does not open a stored key."""


def configured_secrets() -> list[str]:
    """The configured secrets, first (encrypting) one first; empty when unset."""
    value = claims_settings.SIGNING_KEYS_ENCRYPTION_KEY
    if not value:
        return []
    return [value] if isinstance(value, str) else list(value)


def secrets_problem() -> str | None:
    """What is wrong with the configured secrets (None: usable or unset)."""
    value = claims_settings.SIGNING_KEYS_ENCRYPTION_KEY
    if value and not isinstance(value, (str, list, tuple)):
        return f"{SETTING} must be a string or a list of strings, not {type(value).__name__}"
    for secret in configured_secrets():
        if not isinstance(secret, str) or len(secret) < MIN_SECRET_LENGTH:
            return f"{SETTING} holds a secret shorter than {MIN_SECRET_LENGTH} characters"
    return None


def _fernet(secret: str) -> Fernet:
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"oidc_claims signing keys"
    ).derive(secret.encode("utf-8"))
    return Fernet(base64.urlsafe_b64encode(derived))


def _cipher() -> MultiFernet:
    problem = secrets_problem()
    if problem is not None:
        raise EncryptionKeyError(f"{problem}. {GENERATE_HINT}.")
    configured = configured_secrets()
    if not configured:
        raise EncryptionKeyError(
            f"Signing keys are kept in the database, encrypted, but {SETTING} is not set. "
            f"{GENERATE_HINT}."
        )
    return MultiFernet([_fernet(secret) for secret in configured])


def encrypt_private_key(pem: bytes) -> str:
    """``pem`` encrypted under the first configured secret."""
    return _cipher().encrypt(pem).decode("ascii")


def decrypt_private_key(token: str) -> bytes:
    """The PEM inside ``token``; EncryptionKeyError when no configured secret opens it."""
    try:
        return _cipher().decrypt(token.encode("ascii"))
    except InvalidToken:
        raise EncryptionKeyError(
            f"No secret in {SETTING} decrypts a stored signing key: the secret it was "
            "encrypted with was changed or removed. Put that secret back (a list keeps old "
            "secrets for decryption), or retire the key."
        ) from None


def reencrypted(token: str) -> str:
    """``token`` encrypted again under the first configured secret."""
    try:
        return _cipher().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken:
        decrypt_private_key(token)  # raises the explanatory error
        raise
