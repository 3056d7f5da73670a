"""A resource server that caches the JWKS as HTTP tells it to, on a clock of its own, and
verifies JWTs with PyJWT and joserfc against what it cached."""

from __future__ import annotations

import re
import warnings
from typing import Any

import jwt as pyjwt
import requests
from joserfc import jwt as joserfc_jwt
from joserfc.jwk import KeySet

ALGORITHMS = ("ES256", "EdDSA", "RS256")


class UnknownKey(Exception):
    """The token names a key that is not in the cached JWKS."""


class CachingResourceServer:
    """Fetches the JWKS when its cached copy is older than the response's ``max-age`` (on
    ``self.clock``, which the test moves), never on an unknown ``kid``: the strictest cache,
    so that a key used before it was published fails here."""

    def __init__(self, jwks_uri: str) -> None:
        self.jwks_uri = jwks_uri
        self.clock = 0.0
        self.fetches = 0
        self._document: dict[str, Any] | None = None
        self._expires = 0.0

    def wait(self, seconds: float) -> None:
        """Let ``seconds`` pass for the cache."""
        self.clock += seconds

    def jwks(self) -> dict[str, Any]:
        if self._document is None or self.clock >= self._expires:
            response = requests.get(self.jwks_uri, timeout=30)
            response.raise_for_status()
            match = re.search(r"max-age=(\d+)", response.headers.get("Cache-Control", ""))
            assert match, response.headers
            self._document = response.json()
            self._expires = self.clock + int(match.group(1))
            self.fetches += 1
        return self._document

    def kids(self) -> set[str]:
        return {key["kid"] for key in self.jwks()["keys"]}

    def verify(self, token: str, **claims: Any) -> dict[str, Any]:
        """``token``'s claims once PyJWT and joserfc both verified it with the cached JWKS."""
        document = self.jwks()
        header = pyjwt.get_unverified_header(token)
        if header.get("kid") not in self.kids():
            raise UnknownKey(header.get("kid"))
        key = pyjwt.PyJWKSet.from_dict(document)[header["kid"]]
        by_pyjwt = pyjwt.decode(
            token, key.key, algorithms=list(ALGORITHMS), options={"verify_aud": False}
        )
        with warnings.catch_warnings():
            # joserfc 1.8 flags "EdDSA" as superseded by "Ed25519" (RFC 9864); still valid.
            warnings.filterwarnings("ignore", message="EdDSA is deprecated")
            decoded = joserfc_jwt.decode(
                token, KeySet.import_key_set(document), algorithms=list(ALGORITHMS)
            )
        joserfc_jwt.JWTClaimsRegistry(
            exp={"essential": True}, **{name: {"value": v} for name, v in claims.items()}
        ).validate(decoded.claims)
        assert dict(decoded.claims) == by_pyjwt
        return by_pyjwt
