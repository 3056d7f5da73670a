"""How API clients authenticate: an OAuth 2 access token from this IdP, or the admin session."""

from __future__ import annotations

from typing import Any

from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication

from oidc_claims.api.audience import claims_api_audience
from oidc_claims.oauth.resource_views import audience_error, is_meant_for


class ClaimsOAuth2Authentication(OAuth2Authentication):
    """DOT's access-token authentication, named apart so the schema can state the API's scopes,
    refusing tokens that are not meant for this API (see :mod:`oidc_claims.api.audience`).

    It validates through the site's OAuth2 validator, so JWT access tokens work as opaque
    ones do.
    """

    def authenticate(self, request: Any) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        audience = claims_api_audience(request._request)
        if not is_meant_for(result[1], audience):
            request.oauth2_error = audience_error(audience)
            raise exceptions.AuthenticationFailed(audience_error(audience)["error_description"])
        return result


# OAuth 2 first: DRF answers an anonymous request with the first class's challenge, and
# a 401 with `WWW-Authenticate: Bearer` tells API clients what to send.
# SessionAuthentication enforces CSRF on unsafe methods, as the admin does.
API_AUTHENTICATION_CLASSES = (ClaimsOAuth2Authentication, SessionAuthentication)
