"""Unexpected errors in OAuth and API views answered as JSON ``server_error``, never a debug page.

An OAuth client parses JSON error responses (RFC 6749 section 5.2); Django's 500 page is
HTML, and with ``DEBUG`` on it shows frames, local variables and the request's
``Authorization`` header. The error is still logged on ``django.request`` and signalled with
``got_request_exception``, as Django does for any unhandled exception.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.core import signals
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import URLPattern

from oidc_claims.exceptions import SigningUnavailable

logger = logging.getLogger("django.request")

# Django answers these with 4xx itself (django.core.handlers.exception).
_CLIENT_ERRORS = (Http404, PermissionDenied, BadRequest, SuspiciousOperation, MultiPartParserError)


def _json_error(error: str, description: str, status: int) -> JsonResponse:
    response = JsonResponse({"error": error, "error_description": description}, status=status)
    response["Cache-Control"] = "no-store"
    return response


def server_error_response() -> JsonResponse:
    return _json_error(
        "server_error", "The server met an unexpected error; it has been logged.", 500
    )


def signing_unavailable_response() -> JsonResponse:
    """503 ``temporarily_unavailable``: the provider has no usable key to sign with.

    The cause (which algorithm, which command fixes it) is logged for the administrators, not
    told to the client.
    """
    return _json_error(
        "temporarily_unavailable",
        "The provider cannot sign tokens at the moment; try again later.",
        503,
    )


def json_server_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap a view so that an unhandled exception becomes a JSON ``server_error`` (HTTP 500),
    and a missing signing key a JSON ``temporarily_unavailable`` (HTTP 503)."""

    @wraps(view)  # keeps csrf_exempt, login_not_required and view_class
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except _CLIENT_ERRORS:
            raise
        except SigningUnavailable as exc:
            logger.error(
                "Service Unavailable: %s: %s",
                request.path,
                exc,
                extra={"status_code": 503, "request": request},
            )
            return signing_unavailable_response()
        except Exception:
            signals.got_request_exception.send(sender=None, request=request)
            logger.exception(
                "Internal Server Error: %s",
                request.path,
                extra={"status_code": 500, "request": request},
            )
            return server_error_response()

    return wrapped


def with_json_server_errors(patterns: Iterable[Any]) -> list[Any]:
    """The URL patterns with every view wrapped by :func:`json_server_errors` (includes are
    passed through unchanged)."""
    wrapped: list[Any] = []
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern = URLPattern(
                pattern.pattern,
                json_server_errors(pattern.callback),
                pattern.default_args,
                pattern.name,
            )
        wrapped.append(pattern)
    return wrapped
