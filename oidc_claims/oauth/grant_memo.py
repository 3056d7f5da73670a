"""One read of an authorization code's ``Grant`` per token request, shared by DOT's checks.

In a code exchange DOT reads the same row for oauthlib's dispatcher (the scopes), the code
itself, the PKCE challenge, its method, the redirect URI and the nonce: six queries for one
row. :class:`MemoisedGrantMixin` reads it once per oauthlib request (with its user, which the
code's check puts on the request) and answers each of these from it, with DOT's answers.

The protections against a code used twice do not rest on these reads: the exchange deletes
the row (``invalidate_authorization_code``), and the request that deletes nothing is refused and
revokes what the code issued, as before. After that deletion the memo is forgotten.
"""

from __future__ import annotations

import json
from typing import Any

from oauth2_provider.models import get_grant_model
from oauthlib.oauth2.rfc6749.utils import scope_to_list

# Where the grant read for this request is kept: (code, grant or None).
_ATTRIBUTE = "_oidc_claims_grant"


def grant_of(request: Any, code: str) -> Any:
    """The ``Grant`` of ``code`` (whatever its client), read once per oauthlib request."""
    kept = getattr(request, _ATTRIBUTE, None)
    if kept is None or kept[0] != code:
        grant = get_grant_model().objects.select_related("user").filter(code=code).first()
        kept = (code, grant)
        setattr(request, _ATTRIBUTE, kept)
    return kept[1]


def forget_grant(request: Any) -> None:
    """Read the grant again next time (it was deleted or changed)."""
    setattr(request, _ATTRIBUTE, None)


def _client_grant(request: Any, code: str, client: Any) -> Any:
    # DOT looks a code up with its client: another client's code does not exist for it.
    grant = grant_of(request, code)
    if grant is None or client is None or grant.application_id != client.pk:
        return None
    return grant


def _existing_client_grant(request: Any, code: str, client: Any) -> Any:
    grant = _client_grant(request, code, client)
    if grant is None:  # DOT's Grant.objects.get() raises so
        raise get_grant_model().DoesNotExist(f"No grant for this code and client {client}.")
    return grant


class MemoisedGrantMixin:
    """For an OAuth2Validator: DOT's reads of the code's ``Grant``, from one read."""

    def validate_code(self, client_id, code, client, request, *args, **kwargs):
        # DOT's checks, on the memoised grant.
        grant = _client_grant(request, code, client)
        if grant is None or grant.is_expired():
            return False
        request.scopes = grant.scope.split(" ")
        request.user = grant.user
        if grant.nonce:
            request.nonce = grant.nonce
        if grant.claims:
            request.claims = json.loads(grant.claims)
        return True

    def confirm_redirect_uri(self, client_id, code, redirect_uri, client, *args, **kwargs):
        request = args[0] if args else kwargs["request"]
        return _existing_client_grant(request, code, client).redirect_uri_allowed(redirect_uri)

    def get_code_challenge_method(self, code, request):
        return _existing_client_grant(request, code, request.client).code_challenge_method or None

    def get_authorization_code_scopes(self, client_id, code, redirect_uri, request):
        # Asked before the client is authenticated: DOT reads it by the code alone.
        grant = grant_of(request, code)
        return scope_to_list(grant.scope) if grant is not None and grant.scope else []

    def get_authorization_code_nonce(self, client_id, code, redirect_uri, request):
        grant = grant_of(request, code)
        return (grant.nonce or None) if grant is not None else None

    def invalidate_authorization_code(self, client_id, code, request, *args, **kwargs):
        try:
            return super().invalidate_authorization_code(  # type: ignore[misc]
                client_id, code, request, *args, **kwargs
            )
        finally:
            forget_grant(request)
