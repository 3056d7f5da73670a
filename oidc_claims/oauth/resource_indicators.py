"""RFC 8707 resource indicators: a client may ask only for the resources its profile allows.

DOT normalises and checks the ``resource`` parameter (absolute URIs; a code or refresh
token can only narrow the resources it was granted) when it saves the tokens, after the
JWT access token has been generated. The generator therefore asks for the same check first
(:func:`checked_resources`), so that ``aud`` is the checked resources; the check runs once
per request.
"""

from __future__ import annotations

from typing import Any

from oauth2_provider.settings import oauth2_settings
from oauthlib.oauth2.rfc6749 import errors

from oidc_claims.tokens.audiences import allowed_resources

_CHECKED = "_oidc_claims_resources_checked"


def refuse_unlisted_resources(request: Any) -> None:
    """Raise ``invalid_target`` for a requested resource the client may not ask for."""
    allowed = allowed_resources(request.client)
    for resource in request.resource or ():
        if resource not in allowed:
            raise errors.CustomOAuth2Error(
                error="invalid_target",
                description=(
                    f"The resource {resource!r} is not one this client may request; an "
                    "administrator lists the allowed resources in the application's profile."
                ),
                request=request,
            )


class ResourceIndicatorsMixin:
    """Mixed into the OAuth2 validator before DOT's ``OAuth2Validator``."""

    def _check_and_set_request_resource(self, request: Any) -> None:
        if getattr(request, _CHECKED, False):
            return
        super()._check_and_set_request_resource(request)  # type: ignore[misc]
        refuse_unlisted_resources(request)
        setattr(request, _CHECKED, True)


def checked_resources(request: Any) -> list[str]:
    """The token request's resources, normalised and checked as DOT will save them."""
    oauth2_settings.OAUTH2_VALIDATOR_CLASS()._check_and_set_request_resource(request)
    return list(request.resource)
