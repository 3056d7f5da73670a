"""OpenID Connect relying-party helpers built on Authlib (flows) and joserfc (JWT verification)."""

from __future__ import annotations

import secrets
import warnings
from dataclasses import dataclass
from typing import Any

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.jwk import KeySet

from .browser import Browser, track

# The asymmetric algorithms the provider may sign with.
SIGNING_ALGORITHMS = ("RS256", "ES256", "EdDSA")


@dataclass
class Provider:
    """What a relying party learns from discovery."""

    base_url: str
    metadata: dict[str, Any]

    @classmethod
    def discover(cls, base_url: str) -> Provider:
        response = requests.get(f"{base_url}/o/.well-known/openid-configuration", timeout=30)
        response.raise_for_status()
        return cls(base_url=base_url, metadata=response.json())

    @property
    def issuer(self) -> str:
        return self.metadata["issuer"]

    def key_set(self) -> KeySet:
        response = requests.get(self.metadata["jwks_uri"], timeout=30)
        response.raise_for_status()
        return KeySet.import_key_set(response.json())

    def verify_jwt(
        self,
        token: str,
        *,
        audience: str | None = None,
        nonce: str | None = None,
        typ: str | None = None,
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Verify a JWT's signature against the published JWKS and its registered claims.

        Returns (header, claims). Raises joserfc errors when anything does not hold.
        """
        with warnings.catch_warnings():
            # joserfc 1.8 flags "EdDSA" as superseded by "Ed25519" (RFC 9864); still valid.
            warnings.filterwarnings("ignore", message="EdDSA is deprecated")
            decoded = jwt.decode(token, self.key_set(), algorithms=list(SIGNING_ALGORITHMS))
        rules: dict[str, Any] = {
            "iss": {"essential": True, "value": self.issuer},
            "exp": {"essential": True},
            "iat": {"essential": True},
        }
        if audience is not None:
            rules["aud"] = {"essential": True, "value": audience}
        if nonce is not None:
            rules["nonce"] = {"essential": True, "value": nonce}
        jwt.JWTClaimsRegistry(**rules).validate(decoded.claims)
        if typ is not None:
            assert decoded.header.get("typ") == typ, decoded.header
        assert decoded.header.get("kid") in {key.kid for key in self.key_set().keys}
        return dict(decoded.header), dict(decoded.claims)

    def client(
        self, client_id: str, client_secret: str | None = None, **kwargs: Any
    ) -> OAuth2Session:
        auth_method = "client_secret_basic" if client_secret else "none"
        session = OAuth2Session(
            client_id,
            client_secret,
            token_endpoint_auth_method=auth_method,
            **kwargs,
        )
        return track(session)


@dataclass
class CodeFlowResult:
    token: dict[str, Any]
    nonce: str
    id_token_header: dict[str, Any]
    id_token_claims: dict[str, Any]
    session: OAuth2Session


def authorization_code_flow(
    provider: Provider,
    *,
    client_id: str,
    redirect_uri: str,
    username: str,
    password: str,
    scope: str = "openid profile email",
    client_secret: str | None = None,
    pkce: bool = True,
    extra_params: dict[str, str] | None = None,
) -> CodeFlowResult:
    """Authorization code flow (with PKCE S256 by default) through the real login and consent forms.

    Verifies the ID token (signature against the JWKS, iss, aud, nonce, exp) before returning.
    """
    session = provider.client(
        client_id,
        client_secret,
        scope=scope,
        redirect_uri=redirect_uri,
        code_challenge_method="S256" if pkce else None,
    )
    nonce = secrets.token_urlsafe(16)
    code_verifier = generate_token(64) if pkce else None
    url, state = session.create_authorization_url(
        provider.metadata["authorization_endpoint"],
        code_verifier=code_verifier,
        nonce=nonce,
        **(extra_params or {}),
    )
    redirect = Browser(provider.base_url, stop_at=redirect_uri).authorize(url, username, password)
    token = session.fetch_token(
        provider.metadata["token_endpoint"],
        authorization_response=redirect,
        code_verifier=code_verifier,
        state=state,
    )
    header, claims = provider.verify_jwt(token["id_token"], audience=client_id, nonce=nonce)
    return CodeFlowResult(
        token=dict(token),
        nonce=nonce,
        id_token_header=header,
        id_token_claims=claims,
        session=session,
    )


def client_credentials_token(
    provider: Provider, client_id: str, client_secret: str, scope: str | None = None
) -> dict[str, Any]:
    session = provider.client(client_id, client_secret, scope=scope)
    return dict(
        session.fetch_token(provider.metadata["token_endpoint"], grant_type="client_credentials")
    )
