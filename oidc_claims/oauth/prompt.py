"""The ``prompt`` and ``max_age`` rules of the authorization endpoint (OpenID Connect Core
3.1.2.1): when the user must sign in again, when a silent request may issue, and the error
redirect it gets otherwise (3.1.2.6)."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.http import HttpRequest
from django.utils import timezone
from jwcrypto import jws
from jwcrypto.common import JWException
from oauth2_provider.models import get_access_token_model
from oauthlib.common import add_params_to_uri

from oidc_claims.tokens.auth_time import session_auth_time
from oidc_claims.tokens.builders import subject_of

# When this session was last sent to sign in again: a sign-in after it satisfies the
# prompt=login or max_age of the request that sent it (max_age=0 would never be met).
LOGIN_REQUESTED_KEY = "oidc_claims_login_requested_at"


def prompt_values(request: HttpRequest) -> set[str]:
    """The space-separated values of the ``prompt`` parameter."""
    return set(request.GET.get("prompt", "").split())


def max_age_of(request: HttpRequest) -> int | None:
    """The ``max_age`` parameter in seconds; one that is not a non-negative integer counts
    as 0, so that a malformed request never gets an older sign-in than it asked for."""
    value = request.GET.get("max_age")
    if value is None:
        return None
    try:
        seconds = int(value)
    except ValueError:
        return 0
    return max(seconds, 0)


def remember_login_requested(request: HttpRequest) -> None:
    """Note that this session is being sent to sign in for the current request."""
    request.session[LOGIN_REQUESTED_KEY] = int(time.time())


def needs_fresh_sign_in(request: HttpRequest) -> bool:
    """Whether the signed-in user must authenticate again for this request: ``prompt=login``,
    or a sign-in older than ``max_age``, unless the sign-in it was sent to has happened."""
    signed_in_at = session_auth_time(request)
    requested_at = request.session.get(LOGIN_REQUESTED_KEY)
    if requested_at is not None and signed_in_at is not None and signed_in_at >= requested_at:
        del request.session[LOGIN_REQUESTED_KEY]
        return False
    if "login" in prompt_values(request) or hint_names_another_user(request):
        return True
    max_age = max_age_of(request)
    return max_age is not None and (signed_in_at is None or time.time() - signed_in_at > max_age)


def hint_names_another_user(request: HttpRequest) -> bool:
    """Whether ``id_token_hint`` names someone other than the signed-in user (Core 3.1.2.1).

    The hint is read, not verified: it can only make the request stricter (sign in again,
    or ``login_required``), never let it through.
    """
    hint = request.GET.get("id_token_hint")
    if not hint:
        return False
    try:
        token = jws.JWS()
        token.deserialize(hint)
        subject = json.loads(token.objects["payload"]).get("sub")
    except (JWException, ValueError, KeyError, TypeError, AttributeError):
        return True  # unreadable: it names no one we can recognise
    return subject != subject_of(request.user)


def without_login_prompt(full_path: str) -> str:
    """The request path with ``login`` taken out of ``prompt`` (the sign-in answers it)."""
    parts = urlsplit(full_path)
    query = []
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        if name == "prompt":
            value = " ".join(item for item in value.split() if item != "login")
            if not value:
                continue
        query.append((name, value))
    return parts._replace(query=urlencode(query)).geturl()


def has_prior_consent(user: Any, application: Any, scopes: list[str]) -> bool:
    """Whether ``user`` already authorized ``application`` for ``scopes``: the client skips
    authorization, or an unexpired access token of theirs covers the scopes (DOT's rule for
    ``approval_prompt=auto``)."""
    if application.skip_authorization:
        return True
    tokens = get_access_token_model().objects.filter(
        user=user, application=application, expires__gt=timezone.now()
    )
    return any(token.allow_scopes(scopes) for token in tokens)


def error_redirect(redirect_uri: str, response_type: str, error: str, state: str | None) -> str:
    """The authentication error response: in the query for the code flow, in the fragment
    for the implicit and hybrid flows (Core 3.2.2.6, 3.3.2.6)."""
    params = [("error", error)]
    if state:
        params.append(("state", state))
    return add_params_to_uri(redirect_uri, params, fragment=response_type.split() != ["code"])
