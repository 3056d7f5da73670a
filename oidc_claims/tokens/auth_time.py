"""``auth_time``: the sign-in recorded in the session, carried into codes and tokens.

The authorization view puts the session's sign-in time on the oauthlib request (as a DOT
credential); the validator keeps it with the authorization code and each access token
(:class:`~oidc_claims.models.authentication_time.AuthenticationTime`) and reads it back at the token
endpoint and on refresh, so ``auth_time`` is the time of the authentication the grant came
from (OpenID Connect Core 2 and 12.2), not the user's latest ``last_login``.
"""

from __future__ import annotations

import time
from datetime import datetime
from datetime import timezone as datetime_timezone
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ObjectDoesNotExist
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from oidc_claims.models.authentication_time import AuthenticationTime

# Where the time of the session's last sign-in is kept (seconds since the epoch).
SESSION_KEY = "oidc_claims_auth_time"
# The oauthlib request attribute (a DOT credential of the authorization view) carrying it.
REQUEST_ATTRIBUTE = "oidc_claims_auth_time"


@receiver(user_logged_in, dispatch_uid="oidc_claims_record_sign_in")
def record_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """Remember in the session when the user signed in."""
    session = getattr(request, "session", None)
    if session is not None:
        session[SESSION_KEY] = int(time.time())


def session_auth_time(request: HttpRequest) -> int | None:
    """When the signed-in user of ``request`` authenticated; for a session that predates
    the app (no time recorded), the user's ``last_login``."""
    value = request.session.get(SESSION_KEY)
    if isinstance(value, int):
        return value
    return last_login_time(request.user)


def last_login_time(user: Any) -> int | None:
    """The user's ``last_login`` in seconds (DOT's ``auth_time``), or now if never set."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    last_login = user.last_login or timezone.now()
    if timezone.is_naive(last_login):
        if settings.USE_TZ:
            last_login = last_login.replace(tzinfo=datetime_timezone.utc)
        else:
            last_login = timezone.make_aware(last_login, timezone.get_default_timezone())
    return int(last_login.timestamp())


def request_auth_time(request: Any, user: Any) -> int | None:
    """``auth_time`` for tokens issued in the oauthlib ``request`` to ``user``: the sign-in
    the grant came from, else (a grant that records none) the user's ``last_login``."""
    if user is None:
        return None
    value = getattr(request, REQUEST_ATTRIBUTE, None)
    if isinstance(value, int):
        return value
    return last_login_time(user)


def _as_datetime(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, tz=datetime_timezone.utc)


def keep_with_grant(grant: Any, request: Any) -> None:
    """Keep the request's sign-in time with the authorization code it issued."""
    value = getattr(request, REQUEST_ATTRIBUTE, None)
    if isinstance(value, int):
        AuthenticationTime.objects.create(grant=grant, auth_time=_as_datetime(value))


def keep_with_access_token(access_token: Any, request: Any) -> None:
    """Keep the request's sign-in time with an access token issued to a user."""
    value = getattr(request, REQUEST_ATTRIBUTE, None)
    if isinstance(value, int) and access_token.user_id is not None:
        AuthenticationTime.objects.create(access_token=access_token, auth_time=_as_datetime(value))


def read_for_code(request: Any, code: str, client: Any) -> None:
    """Put the sign-in time kept with authorization code ``code`` on the request."""
    kept = (
        AuthenticationTime.objects.filter(grant__code=code, grant__application=client)
        .values_list("auth_time", flat=True)
        .first()
    )
    if kept is not None:
        setattr(request, REQUEST_ATTRIBUTE, int(kept.timestamp()))


def read_for_refresh(request: Any, refresh_token: Any) -> None:
    """Put on the request the sign-in time of the access token that ``refresh_token`` came
    with: a refresh keeps the original ``auth_time`` (Core 12.2)."""
    value = token_auth_time(getattr(refresh_token, "access_token", None))
    if value is not None:
        setattr(request, REQUEST_ATTRIBUTE, value)


def token_auth_time(access_token: Any) -> int | None:
    """The sign-in time kept with a stored access token, or None."""
    if access_token is None:
        return None
    try:
        kept = access_token.oidc_claims_authentication
    except ObjectDoesNotExist:
        return None
    return int(kept.auth_time.timestamp())
