"""Refresh tokens expire when validated, not only when ``cleartokens`` sweeps them.

django-oauth-toolkit 3.4.1 checks ``REFRESH_TOKEN_EXPIRE_SECONDS`` when a refresh token is
used; 3.4.0 (the oldest supported) only when ``cleartokens`` runs, so a refresh token past
its lifetime kept working until a sweep. The rule is 3.4.1's: a refresh token expires
``REFRESH_TOKEN_EXPIRE_SECONDS`` after the access token it was issued with.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from oauth2_provider.settings import oauth2_settings


def refresh_token_lifetime() -> timedelta | None:
    """``REFRESH_TOKEN_EXPIRE_SECONDS`` as a timedelta (it may be seconds or a timedelta)."""
    value = oauth2_settings.REFRESH_TOKEN_EXPIRE_SECONDS
    if not value:
        return None
    return value if isinstance(value, timedelta) else timedelta(seconds=value)


def has_expired(refresh_token: Any) -> bool:
    """Whether an unrevoked refresh token is past its lifetime."""
    lifetime = refresh_token_lifetime()
    access_token = refresh_token.access_token
    if lifetime is None or refresh_token.revoked is not None or access_token is None:
        return False
    return access_token.expires + lifetime <= timezone.now()


class RefreshTokenExpiryMixin:
    """Mixed into the OAuth2 validator before DOT's ``OAuth2Validator``."""

    def validate_refresh_token(
        self, refresh_token: Any, client: Any, request: Any, *args: Any, **kwargs: Any
    ) -> bool:
        if not super().validate_refresh_token(  # type: ignore[misc]
            refresh_token, client, request, *args, **kwargs
        ):
            return False
        return not has_expired(request.refresh_token_instance)
