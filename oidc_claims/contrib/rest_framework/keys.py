"""The key set a resource server verifies JWT access tokens with: local, or fetched and cached."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

from django.core.cache import caches
from jwcrypto import jwk

from oidc_claims.conf import claims_settings

# Seconds between two forced re-fetches of a remote JWKS for an unknown `kid`, so that
# tokens with made-up key ids cannot make the resource server hammer the IdP.
REFETCH_MIN_INTERVAL_SECONDS = 60
_CACHE_KEY = "oidc_claims:jwks:{}"
_REFETCH_KEY = "oidc_claims:jwks-refetched:{}"


def local_key_set() -> jwk.JWKSet:
    """This site's own published keys (next, active, retiring; DOT's), as its JWKS lists them.

    Only where the resource server is the provider itself (no RESOURCE_SERVER_JWKS_URL).
    """
    # Imported here, not at the top: the key store needs the provider's app and models,
    # which a resource server that fetches the JWKS over HTTP does not install.
    from oidc_claims.models.key_store import verification_key_set as published_key_set

    return published_key_set()


def fetch_key_set_document(url: str) -> dict[str, Any]:
    """GET the JWKS document at ``url`` (a setting, never request data)."""
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (URL from settings)
        return json.loads(response.read())


def remote_key_set(url: str, *, kid: str | None = None) -> jwk.JWKSet:
    """The JWKS at ``url`` from the cache; re-fetched when stale or (rarely) for an unknown kid."""
    cache = caches[claims_settings.CACHE_ALIAS]
    document = cache.get(_CACHE_KEY.format(url))
    if document is None or (
        kid is not None
        and kid not in {key.get("kid") for key in document.get("keys", [])}
        and cache.add(_REFETCH_KEY.format(url), True, REFETCH_MIN_INTERVAL_SECONDS)
    ):
        document = fetch_key_set_document(url)
        cache.set(
            _CACHE_KEY.format(url), document, claims_settings.RESOURCE_SERVER_JWKS_CACHE_SECONDS
        )
    return jwk.JWKSet.from_json(json.dumps(document))


def verification_key_set(kid: str | None = None) -> jwk.JWKSet:
    """The keys to verify with: RESOURCE_SERVER_JWKS_URL's, or this site's own (no HTTP)."""
    url = claims_settings.RESOURCE_SERVER_JWKS_URL
    return remote_key_set(url, kid=kid) if url else local_key_set()
