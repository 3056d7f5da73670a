"""The validator hooks that refuse a deactivated user's tokens: bearer, refresh and code.

DOT checks ``is_active`` only where a password is checked (the password grant) and at
login: an access token, a refresh token or an authorization code issued before the user
was deactivated would keep working. Deleting a user deletes their tokens (DOT's foreign
keys cascade), so only deactivation needs a check.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from oidc_claims.oauth.account_status import is_deactivated

DEACTIVATED_TOKEN_ERROR = OrderedDict(
    [
        ("error", "invalid_token"),
        ("error_description", "The access token is no longer valid: its user is deactivated."),
    ]
)


class ActiveUserTokensMixin:
    """Mixed into the OAuth2 validator before DOT's ``OAuth2Validator``.

    Each hook lets DOT decide first (it loads the user with the token, the refresh token or
    the code), then refuses when that user is deactivated: the resource views answer
    ``invalid_token`` and the token endpoint ``invalid_grant``.
    """

    def validate_bearer_token(self, token: Any, scopes: Any, request: Any) -> bool:
        if not super().validate_bearer_token(token, scopes, request):
            return False
        if is_deactivated(request.user):
            request.oauth2_error = DEACTIVATED_TOKEN_ERROR
            return False
        return True

    def validate_refresh_token(
        self, refresh_token: Any, client: Any, request: Any, *args: Any, **kwargs: Any
    ) -> bool:
        valid = super().validate_refresh_token(refresh_token, client, request, *args, **kwargs)
        return valid and not is_deactivated(request.user)

    def validate_code(
        self, client_id: Any, code: Any, client: Any, request: Any, *args: Any, **kwargs: Any
    ) -> bool:
        valid = super().validate_code(client_id, code, client, request, *args, **kwargs)
        return valid and not is_deactivated(request.user)
