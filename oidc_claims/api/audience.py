"""The audience of the claims API: ``OIDC_CLAIMS["API_AUDIENCE"]``, else the API's own URL."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from oauth2_provider.settings import oauth2_settings

from oidc_claims.conf import claims_settings
from oidc_claims.tokens.audiences import on_issuer_origin

# Any route of the API: its URL minus this suffix is where the API is included.
_ANCHOR_ROUTE, _ANCHOR_SUFFIX = "oidc_claims_api:export", "export/"


def claims_api_audience(request: Any) -> str:
    """The audience access tokens need at the claims API: the setting, or the URL the API is
    included under, on the configured issuer's scheme and host (``https://idp.example.com/api/v1/``)."""
    configured = claims_settings.API_AUDIENCE
    if configured:
        return configured
    root = reverse(_ANCHOR_ROUTE).removesuffix(_ANCHOR_SUFFIX)
    return on_issuer_origin(root, oauth2_settings.oidc_issuer(request))
