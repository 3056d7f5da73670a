"""Authorization request parameters this provider cannot honour, refused as OpenID Connect
Core 3.1.2.6 and 5.5.1.1 say rather than silently ignored (which would lose the state and
nonce inside a request object, or issue a weaker authentication than was required)."""

from __future__ import annotations

from typing import Any

from oauthlib.openid.connect.core.exceptions import (
    OpenIDClientError,
    RequestNotSupported,
    RequestURINotSupported,
)

# The provider asserts no authentication context class: it issues no acr claim.
ACR_SPEC = "https://openid.net/specs/openid-connect-core-1_0.html#acrSemantics"


class UnmetAuthenticationRequirements(OpenIDClientError):
    """OpenID Connect Core Error Code unmet_authentication_requirements 1.0."""

    error = "unmet_authentication_requirements"
    description = (
        "An essential acr claim was requested, and this provider asserts no authentication "
        "context class; request acr_values (voluntary) instead."
    )
    uri = ACR_SPEC


def essential_acr_requested(claims: Any) -> bool:
    """Whether the ``claims`` parameter asks for ``acr`` as an essential claim."""
    if not isinstance(claims, dict):
        return False
    for member in ("id_token", "userinfo"):
        entry = (claims.get(member) or {}).get("acr")
        if isinstance(entry, dict) and entry.get("essential") is True:
            return True
    return False


def _parameter(request: Any, name: str) -> str | None:
    # Only a parameter's text counts: in the prompt=none path the oauthlib request carries
    # an attribute named "request" that is not the parameter.
    value = getattr(request, name, None)
    return value if isinstance(value, str) and value else None


def refuse_unsupported(request: Any) -> None:
    """Raise the error that the oauthlib ``request`` gets for a parameter this provider
    cannot honour: ``request``, ``request_uri``, an essential ``acr``. Called once the
    redirect URI is known, so the client receives the error with its state."""
    if _parameter(request, "request"):
        raise RequestNotSupported(
            description="Request objects are not supported: send the parameters as such.",
            request=request,
        )
    if _parameter(request, "request_uri"):
        raise RequestURINotSupported(
            description="request_uri is not supported: send the parameters as such.",
            request=request,
        )
    if essential_acr_requested(getattr(request, "claims", None)):
        raise UnmetAuthenticationRequirements(request=request)
