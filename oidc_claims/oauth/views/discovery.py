"""Provider metadata: the OpenID discovery document and the same document where RFC 8414
puts it for this issuer; the PKCE methods this server accepts."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.decorators import method_decorator
from oauth2_provider.compat import login_not_required
from oauth2_provider.settings import oauth2_settings
from oauth2_provider.views import ConnectDiscoveryInfoView

from oidc_claims.oauth import pkce
from oidc_claims.oauth.metadata import provider_metadata


@method_decorator(login_not_required, name="dispatch")
class ClaimsDiscoveryInfoView(ConnectDiscoveryInfoView):
    """OpenID Provider metadata (OpenID Connect Discovery 1.0, section 3): DOT's document
    with every member :func:`oidc_claims.oauth.metadata.provider_metadata` adds."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        if response.status_code != 200:
            return response
        data = provider_metadata(request, json.loads(response.content))
        data["code_challenge_methods_supported"] = list(pkce.allowed_methods())
        extended = JsonResponse(data)
        for header, value in response.items():
            if header.lower() not in ("content-type", "content-length"):
                extended[header] = value
        return extended


@method_decorator(login_not_required, name="dispatch")
class AuthorizationServerMetadataView(ClaimsDiscoveryInfoView):
    """RFC 8414 authorization server metadata: the same document as the OpenID one.

    Served at ``/.well-known/oauth-authorization-server`` followed by the issuer's path
    (RFC 8414 section 3), e.g. ``/.well-known/oauth-authorization-server/o`` for the issuer
    ``https://idp.example/o``; another path is not this issuer's and gets 404.
    """

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        issuer_path = urlsplit(oauth2_settings.oidc_issuer(request)).path.strip("/")
        if kwargs.get("issuer_path", "").strip("/") != issuer_path:
            return JsonResponse(
                {
                    "error": "not_found",
                    "error_description": f"This server's issuer path is '/{issuer_path}'.",
                },
                status=404,
            )
        return super().get(request)
