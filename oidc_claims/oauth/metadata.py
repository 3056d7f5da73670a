"""The provider's metadata: one document for OpenID Connect Discovery 1.0 and RFC 8414.

DOT's OpenID document, completed with what this provider serves and supports (the
introspection and revocation endpoints, grant types, response modes, the request
parameters it refuses), so relying parties such as openid-client find everything they use.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from oauth2_provider.settings import oauth2_settings
from oauth2_provider.views import ConnectDiscoveryInfoView

from oidc_claims.tokens.id_token_signing import id_token_algorithms_supported


def _endpoint(request: HttpRequest, name: str) -> str | None:
    # As DOT builds its own endpoint URLs: from OIDC_ISS_ENDPOINT's origin when set.
    try:
        return ConnectDiscoveryInfoView()._get_endpoint_url(request, name)
    except NoReverseMatch:
        return None


def grant_types_supported() -> list[str]:
    """DOT's grant types, less those its RFC 9700 gates turned off (as in DOT's RFC 8414
    document) and the device grant when its endpoint is not routed."""
    turned_off = set()
    if oauth2_settings.COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT:
        turned_off.add("implicit")
    if oauth2_settings.COMPLIANT_BCP_RFC9700_PASSWORD_GRANT:
        turned_off.add("password")
    try:
        reverse("oauth2_provider:device-authorization")
    except NoReverseMatch:
        turned_off.add("urn:ietf:params:oauth:grant-type:device_code")
    return [
        grant for grant in oauth2_settings.OAUTH2_GRANT_TYPES_SUPPORTED if grant not in turned_off
    ]


def provider_metadata(request: HttpRequest, base: dict[str, Any]) -> dict[str, Any]:
    """``base`` (DOT's OpenID discovery document) with every member this provider adds."""
    data = dict(base)
    auth_methods = data.get("token_endpoint_auth_methods_supported") or list(
        oauth2_settings.OIDC_TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED
    )
    for member, view_name in (
        ("introspection_endpoint", "introspect"),
        ("revocation_endpoint", "revoke-token"),
    ):
        url = _endpoint(request, view_name)
        if url:
            data[member] = url
            data[f"{member}_auth_methods_supported"] = auth_methods
    device = _endpoint(request, "device-authorization")
    if device:
        data["device_authorization_endpoint"] = device
    data["grant_types_supported"] = grant_types_supported()
    data["response_modes_supported"] = ["query", "fragment"]
    data["claim_types_supported"] = ["normal"]
    data["claims_parameter_supported"] = True
    data["id_token_signing_alg_values_supported"] = id_token_algorithms_supported()
    # Refused with request_not_supported / request_uri_not_supported (Core 3.1.2.6).
    data["request_parameter_supported"] = False
    data["request_uri_parameter_supported"] = False
    return data
