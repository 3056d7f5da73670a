"""The demo IdP's RS256 signing key: from the environment, or generated once for local use."""

from __future__ import annotations

import os
from pathlib import Path

from jwcrypto import jwk


def load_signing_key(env_var: str, fallback_path: Path) -> str:
    """Return a PEM RSA private key.

    Production sites pass the key in ``env_var``. For local use the key is generated once
    into ``fallback_path`` (git-ignored) with owner-only permissions, so ID tokens stay
    verifiable across restarts of the demo.
    """
    pem = os.environ.get(env_var, "").strip()
    if pem:
        return pem + "\n"
    if fallback_path.exists():
        return fallback_path.read_text()
    key = jwk.JWK.generate(kty="RSA", size=2048)
    pem = key.export_to_pem(private_key=True, password=None).decode()
    # O_EXCL: two processes starting at once must not both write (one wins, the other reads).
    try:
        fd = os.open(fallback_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return fallback_path.read_text()
    with os.fdopen(fd, "w") as handle:
        handle.write(pem)
    return pem
