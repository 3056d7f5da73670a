"""Audience-restricted resource views: a token is accepted only where its audience names.

DOT checks a token's RFC 8707 resources against the request URL, but accepts a token
requested without a ``resource`` (DOT calls it unrestricted) at every resource view. A view
of a resource server with an audience of its own therefore also requires that audience.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from oidc_claims.tokens.audiences import token_audiences


def audience_error(audience: str) -> OrderedDict[str, str]:
    """The RFC 6750 error for a token meant for another resource server."""
    return OrderedDict(
        [
            ("error", "invalid_token"),
            (
                "error_description",
                f"The access token is not meant for this resource: its audience must include "
                f"{audience!r} (request it with resource={audience}).",
            ),
        ]
    )


def is_meant_for(access_token: Any, audience: str) -> bool:
    """Whether the stored ``access_token`` is for ``audience``."""
    return audience in token_audiences(access_token)


class AudienceRequiredMixin:
    """For DOT's protected resource views: the token's audience must include
    :meth:`get_required_audience`."""

    required_audience: str | None = None

    def get_required_audience(self, request: Any) -> str:
        """The audience this view requires; override to compute it per request."""
        if not self.required_audience:
            raise NotImplementedError("Set required_audience or override get_required_audience.")
        return self.required_audience

    def verify_request(self, request: Any) -> tuple[bool, Any]:
        valid, oauth_request = super().verify_request(request)  # type: ignore[misc]
        if not valid:
            return valid, oauth_request
        audience = self.get_required_audience(request)
        if not is_meant_for(oauth_request.access_token, audience):
            oauth_request.oauth2_error = audience_error(audience)
            return False, oauth_request
        return True, oauth_request
