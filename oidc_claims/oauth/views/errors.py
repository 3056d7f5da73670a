"""Error handlers that answer OAuth clients in JSON: never an HTML page, never a stack trace.

Set them in the site's root URLconf::

    handler400 = "oidc_claims.oauth.views.errors.bad_request"
    handler500 = "oidc_claims.oauth.views.errors.server_error"

A request to the OAuth endpoints (``oidc_claims.urls``) or the claims API gets the body RFC 6749
section 5.2 defines (``invalid_request``, ``server_error``); every other request gets Django's
own page. Django still logs the error and sends ``got_request_exception`` first.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, resolve
from django.views import defaults

# The URL namespaces answered in JSON: oidc_claims.urls (DOT's) and the claims API.
JSON_APP_NAMES = frozenset({"oauth2_provider", "oidc_claims_api"})


def _wants_json(request: HttpRequest) -> bool:
    # A request refused before URL resolution (a disallowed Host) has no resolver_match yet.
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
    return bool(JSON_APP_NAMES.intersection(match.app_names))


def _json_error(error: str, description: str, status: int) -> JsonResponse:
    response = JsonResponse({"error": error, "error_description": description}, status=status)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """500: ``server_error`` in JSON for OAuth and API requests."""
    if _wants_json(request):
        return _json_error("server_error", "The server could not complete the request.", 500)
    return defaults.server_error(request, template_name=template_name)


def bad_request(
    request: HttpRequest, exception: Exception, template_name: str = "400.html"
) -> HttpResponse:
    """400 (e.g. a disallowed Host header): ``invalid_request`` in JSON for OAuth and API
    requests."""
    if _wants_json(request):
        return _json_error("invalid_request", "The request is malformed.", 400)
    return defaults.bad_request(request, exception, template_name=template_name)
