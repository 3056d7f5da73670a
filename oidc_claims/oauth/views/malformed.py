"""Requests that no OAuth endpoint can serve: refused with ``invalid_request`` up front.

No OAuth 2 or OpenID Connect parameter may contain a NUL character (RFC 6749 Appendix A
allows printable characters only), and PostgreSQL cannot compare text with one, so DOT's
look-ups of client ids, codes, tokens and users would fail with a database error, a 500.
A query string with broken percent-encoding ("%zz") makes oauthlib raise ``ValueError``
while it parses the request, another 500.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from oauthlib.common import INVALID_HEX_PATTERN

from oidc_claims.oauth.basic_auth import basic_credentials

NUL = "\x00"


def has_nul_parameter(request: HttpRequest) -> bool:
    """Whether a query or form parameter, or the Authorization header, carries a NUL."""
    for parameters in (request.GET, request.POST):
        for key, values in parameters.lists():
            if NUL in key or any(NUL in value for value in values):
                return True
    authorization = request.META.get("HTTP_AUTHORIZATION", "")
    if NUL in authorization:
        return True
    # Credentials that are not well-formed Basic fail client authentication anyway.
    credentials = basic_credentials(authorization)
    return credentials is not None and any(NUL in part for part in credentials)


def invalid_request(description: str) -> JsonResponse:
    response = JsonResponse(
        {"error": "invalid_request", "error_description": description}, status=400
    )
    response["Cache-Control"] = "no-store"
    return response


def has_broken_percent_encoding(request: HttpRequest) -> bool:
    """Whether the query string has a ``%`` not followed by two hex digits, which oauthlib
    cannot parse (the form body reaches oauthlib decoded, through Django)."""
    return bool(INVALID_HEX_PATTERN.search(request.META.get("QUERY_STRING", "")))


class RefuseMalformedMixin:
    """Answers 400 ``invalid_request`` to a request with a NUL in any parameter, or with a
    query string that is not percent-encoded correctly (RFC 3986 section 2.1)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if has_nul_parameter(request):
            return invalid_request("A request parameter contains a NUL character.")
        if has_broken_percent_encoding(request):
            return invalid_request(
                "The query string is not correctly percent-encoded: every '%' must be "
                "followed by two hexadecimal digits (RFC 3986 section 2.1)."
            )
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
