"""Per-application CORS for the token, userinfo, introspection and revocation endpoints.

Written by hand rather than with django-cors-headers: that package allows origins per
site, while OAuth allows them per application (``Application.allowed_origins``), which only
the endpoint can tell once it knows which client is calling. A cross-origin response gets
CORS headers exactly when the caller's application lists the ``Origin``.

A preflight (``OPTIONS``) carries neither credentials nor body, so the application is not
known yet: the preflight is answered for an origin that *some* application allows, and the
real request that follows is then checked against its own application.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from oauth2_provider.models import get_application_model
from oauth2_provider.utils import parse_bearer_token

from oidc_claims.oauth.basic_auth import basic_credentials
from oidc_claims.oauth.stored_tokens import find_access_token

# How long a browser may cache a preflight answer (seconds).
PREFLIGHT_MAX_AGE_SECONDS = 600
_CORS_HEADERS = (
    "Access-Control-Allow-Origin",
    "Access-Control-Allow-Methods",
    "Access-Control-Allow-Headers",
    "Access-Control-Max-Age",
    "Access-Control-Expose-Headers",
)


def client_id_of(request: HttpRequest) -> str | None:
    """The client id a request authenticates with: HTTP Basic (RFC 6749 2.3.1) or the body."""
    authorization = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, credentials = authorization.partition(" ")
    if scheme.lower() == "basic" and credentials:
        decoded = basic_credentials(authorization)
        return (decoded[0] or None) if decoded is not None else None
    return request.POST.get("client_id") or request.GET.get("client_id") or None


def application_of(request: HttpRequest) -> Any:
    """The application behind a request: its bearer token's, else its client credentials'.

    A bearer token decides alone: a ``client_id`` parameter beside it authenticates nothing
    and must not lend its application's origins to the token.
    """
    Application = get_application_model()
    token = parse_bearer_token(request.META.get("HTTP_AUTHORIZATION", ""))
    if token:
        access_token = find_access_token(token, "application")
        return access_token.application if access_token is not None else None
    client_id = client_id_of(request)
    if client_id:
        return Application.objects.filter(client_id=client_id).first()
    return None


def is_serialized_origin(origin: str) -> bool:
    """Whether ``origin`` is an origin as browsers send it: scheme://host[:port], nothing more.

    DOT compares only scheme and host, so "https://app.example/x" would pass and be echoed.
    """
    parts = urlsplit(origin)
    return (
        bool(parts.scheme and parts.netloc)
        and "@" not in parts.netloc
        and origin == f"{parts.scheme}://{parts.netloc}"
    )


def origin_allowed(application: Any, origin: str) -> bool:
    """Whether ``application`` lists exactly ``origin``."""
    return is_serialized_origin(origin) and bool(application.origin_allowed(origin))


def any_application_allows(origin: str) -> bool:
    """Whether some application lists ``origin`` (for preflights, which name no client)."""
    if not is_serialized_origin(origin):
        return False
    Application = get_application_model()
    candidates = Application.objects.exclude(allowed_origins="").only("allowed_origins")
    return any(application.origin_allowed(origin) for application in candidates.iterator())


class ApplicationCorsMixin:
    """Adds CORS headers for origins that the calling application allows; strips them otherwise."""

    cors_allow_methods = "POST, OPTIONS"
    cors_allow_headers = "Authorization, Content-Type"
    cors_expose_headers = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        origin = request.META.get("HTTP_ORIGIN")
        if request.method == "OPTIONS" and origin:
            return self.preflight_response(request, origin)
        response = super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
        if origin:
            for header in _CORS_HEADERS:
                del response[header]
            application = application_of(request)
            if application is not None and origin_allowed(application, origin):
                response["Access-Control-Allow-Origin"] = origin
                if self.cors_expose_headers:
                    response["Access-Control-Expose-Headers"] = self.cors_expose_headers
            patch_vary_headers(response, ("Origin",))
        return response

    def preflight_response(self, request: HttpRequest, origin: str) -> HttpResponse:
        response = HttpResponse(status=200)
        response["Allow"] = self.cors_allow_methods
        if any_application_allows(origin):
            response["Access-Control-Allow-Origin"] = origin
            response["Access-Control-Allow-Methods"] = self.cors_allow_methods
            response["Access-Control-Allow-Headers"] = self.cors_allow_headers
            response["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE_SECONDS)
        patch_vary_headers(response, ("Origin",))
        return response
