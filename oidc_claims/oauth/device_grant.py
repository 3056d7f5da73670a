"""The device code grant at the token endpoint (RFC 8628 sections 3.4 and 3.5).

oauthlib 3.3+ asks the validator, not the view, whether a polled ``device_code`` is
authorized, and expects it to put the approving user and the scopes on the request; DOT
3.4's validator has no such method (every poll was a 500). The approving user's tokens then
carry the configured claims like those of any other grant.
"""

from __future__ import annotations

from typing import Any

from oauth2_provider.models import get_device_grant_model

# oauthlib's DeviceCodeGrant.DEVICE_CODE_* values (RFC 8628 3.5 error codes).
AUTHORIZED = "authorized"
_STATUS_BY_GRANT_STATE = {
    "authorization-pending": "authorization_pending",
    "denied": "access_denied",
    "expired": "expired_token",
}


class DeviceCodeValidatorMixin:
    """For an OAuth2Validator: ``validate_device_code`` over DOT's DeviceGrant rows."""

    def validate_device_code(self, client_id: str, code: str, request: Any, *args, **kwargs):
        """The grant's status; an authorized code is used up here, so it gives tokens once."""
        DeviceGrant = get_device_grant_model()
        grant = (
            DeviceGrant.objects.select_related("user")
            .filter(device_code=code, client_id=client_id)
            .first()
        )
        if grant is None:
            return None  # oauthlib answers invalid_grant
        if grant.status == grant.AUTHORIZED and grant.user is not None:
            # Only the poll that moves the row on issues tokens (two polls may race).
            used = DeviceGrant.objects.filter(pk=grant.pk, status=grant.AUTHORIZED).update(
                status=grant.EXPIRED
            )
            if used != 1:
                return _STATUS_BY_GRANT_STATE["expired"]
            request.user = grant.user
            request.scopes = (grant.scope or "").split()
            return AUTHORIZED
        if grant.status == grant.AUTHORIZATION_PENDING and grant.is_expired():
            return _STATUS_BY_GRANT_STATE["expired"]
        return _STATUS_BY_GRANT_STATE.get(grant.status)
