"""Who may call the introspection endpoint (RFC 7662 section 2.1): an authenticated client.

Two kinds of caller are accepted: a confidential client authenticating with its secret (HTTP
Basic or the request body, as at the token endpoint), or a bearer access token carrying the
``introspection`` scope (DOT's convention), whose application is then the caller. A public
client cannot keep a secret, so knowing its client id (or a secret shipped inside it) proves
nothing: it is refused with ``invalid_client``, as is a request without credentials.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, JsonResponse
from oauth2_provider.models import AbstractApplication
from oauth2_provider.utils import parse_bearer_token
from oauthlib.common import Request as OauthlibRequest

# DOT's IntrospectTokenView asks bearer tokens for this scope.
INTROSPECTION_SCOPE = "introspection"


@dataclass(frozen=True)
class Refusal:
    """Why an introspection request is refused, and the response that says so."""

    status: int
    error: str
    description: str
    challenge: str

    def response(self) -> JsonResponse:
        response = JsonResponse(
            {"error": self.error, "error_description": self.description}, status=self.status
        )
        response["WWW-Authenticate"] = self.challenge
        response["Cache-Control"] = "no-store"
        return response


class CallerRefused(Exception):
    """The introspection request has no acceptable caller; ``refusal`` says why."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.description)
        self.refusal = refusal


CLIENT_CHALLENGE = 'Basic realm="introspection"'
NO_CREDENTIALS = Refusal(
    401,
    "invalid_client",
    "Introspection needs an authenticated caller: a confidential client's credentials "
    f"(HTTP Basic) or a bearer token with the {INTROSPECTION_SCOPE!r} scope.",
    CLIENT_CHALLENGE,
)
BAD_CREDENTIALS = Refusal(
    401, "invalid_client", "Client authentication failed.", CLIENT_CHALLENGE
)
PUBLIC_CLIENT = Refusal(
    401,
    "invalid_client",
    "A public client cannot introspect tokens: it cannot keep a secret. Introspect from a "
    f"confidential client, or with a bearer token that has the {INTROSPECTION_SCOPE!r} scope.",
    CLIENT_CHALLENGE,
)


def _bearer_refusal(oauth2_error: dict[str, Any]) -> Refusal:
    error = oauth2_error.get("error") or "invalid_token"
    if error == "insufficient_scope":
        return Refusal(
            403,
            error,
            f"The access token lacks the {INTROSPECTION_SCOPE!r} scope.",
            f'Bearer error="insufficient_scope", scope="{INTROSPECTION_SCOPE}"',
        )
    return Refusal(
        401,
        "invalid_token",
        str(oauth2_error.get("error_description") or "The access token is invalid."),
        'Bearer error="invalid_token"',
    )


def _has_client_credentials(request: HttpRequest) -> bool:
    scheme = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")[0]
    return scheme.lower() == "basic" or "client_id" in request.POST


def introspection_caller(request: HttpRequest, core: Any) -> Any:
    """The application calling introspection; raises :class:`CallerRefused` otherwise.

    ``core`` is the view's DOT ``OAuthLibCore``: its validator authenticates clients and
    bearer tokens exactly as the token endpoint and the resource views do.
    """
    if parse_bearer_token(request.META.get("HTTP_AUTHORIZATION", "")):
        valid, oauth_request = core.verify_request(request, scopes=[INTROSPECTION_SCOPE])
        if not valid:
            raise CallerRefused(_bearer_refusal(getattr(oauth_request, "oauth2_error", None) or {}))
        if oauth_request.client is None:  # a token cached from a remote server: no client
            raise CallerRefused(_bearer_refusal({}))
        return oauth_request.client
    if not _has_client_credentials(request):
        raise CallerRefused(NO_CREDENTIALS)
    # DOT's own translation of the Django request, as its client-protected views use it.
    uri, http_method, body, headers = core._extract_params(request)
    oauth_request = OauthlibRequest(uri, http_method, body, headers)
    if not core.server.request_validator.authenticate_client(oauth_request):
        raise CallerRefused(BAD_CREDENTIALS)
    if oauth_request.client.client_type != AbstractApplication.CLIENT_CONFIDENTIAL:
        raise CallerRefused(PUBLIC_CLIENT)
    return oauth_request.client
