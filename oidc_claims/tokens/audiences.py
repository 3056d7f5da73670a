"""Audiences of access tokens: an application's default, the resources it may request, a token's.

RFC 8707 lets a client name the resource server a token is for (``resource``); RFC 9068
puts it in ``aud``. Without one, a token is for its application's default audiences (its
app profile's ``access_token_audience``, else ``ACCESS_TOKEN_AUDIENCE``, else its client id).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ObjectDoesNotExist

from oidc_claims.conf import claims_settings


def profile_of(application: Any) -> Any:
    """The application's AppProfile, or None (no query when it was loaded with it)."""
    try:
        return application.oidc_claims_profile
    except ObjectDoesNotExist:
        return None


def default_audiences(application: Any, profile: Any, default: str | None) -> list[str]:
    """The ``aud`` of ``application``'s tokens issued without a ``resource``."""
    configured = profile.access_token_audience.split() if profile is not None else []
    return configured or [default or application.client_id]


def allowed_resources(application: Any) -> set[str]:
    """The resources ``application`` may request: its profile's ``allowed_resources`` and its
    default audiences."""
    profile = profile_of(application)
    listed = set(profile.allowed_resources.split()) if profile is not None else set()
    return listed | set(
        default_audiences(application, profile, claims_settings.ACCESS_TOKEN_AUDIENCE)
    )


def aud_claim(audiences: list[str]) -> str | list[str]:
    """One audience as a string, several as a list (RFC 7519 section 4.1.3)."""
    return audiences[0] if len(audiences) == 1 else list(audiences)


def token_audiences(access_token: Any) -> list[str]:
    """The audiences a stored access token is for: the resources it was requested for, else
    its application's default audiences."""
    if access_token.resource:
        return list(access_token.resource)
    application = access_token.application
    if application is None:
        return []
    return default_audiences(
        application, profile_of(application), claims_settings.ACCESS_TOKEN_AUDIENCE
    )


def on_issuer_origin(path: str, issuer: str) -> str:
    """The absolute URL of ``path`` on the issuer's scheme and host: the default audience
    of a resource server served by this site."""
    parts = urlsplit(issuer)
    return f"{parts.scheme}://{parts.netloc}{path}"
