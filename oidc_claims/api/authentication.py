"""How API clients authenticate: an OAuth 2 access token from this IdP, or the admin session."""

from __future__ import annotations

from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework.authentication import SessionAuthentication


class ClaimsOAuth2Authentication(OAuth2Authentication):
    """DOT's access-token authentication, named apart so the schema can state the API's scopes.

    It validates through the site's OAuth2 validator, so JWT access tokens work as opaque
    ones do.
    """


# OAuth 2 first: DRF answers an anonymous request with the first class's challenge, and
# a 401 with `WWW-Authenticate: Bearer` tells API clients what to send.
# SessionAuthentication enforces CSRF on unsafe methods, as the admin does.
API_AUTHENTICATION_CLASSES = (ClaimsOAuth2Authentication, SessionAuthentication)
