"""OpenID Connect's scopes: the standard ones always available, unknown ones ignored.

Set ``OAUTH2_PROVIDER["SCOPES_BACKEND_CLASS"] = "oidc_claims.oauth.scopes.OpenIDScopes"``: the
``openid``, ``profile``, ``email``, ``address`` and ``phone`` scopes (Core 5.4) then exist
whatever ``SCOPES`` lists; ``SCOPES`` may describe them differently for the consent page.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from oauth2_provider.scopes import SettingsScopes, get_scopes_backend

from oidc_claims.conf import claims_settings

STANDARD_SCOPES = {
    "openid": _("Sign you in (OpenID Connect)"),
    "profile": _("Your name, username and profile"),
    "email": _("Your email address"),
    "address": _("Your postal address"),
    "phone": _("Your phone number"),
}


class OpenIDScopes(SettingsScopes):
    """DOT's ``SCOPES`` setting plus the standard scopes of OpenID Connect Core 5.4."""

    def get_all_scopes(self) -> dict[str, Any]:
        return {**STANDARD_SCOPES, **super().get_all_scopes()}

    def get_available_scopes(self, application=None, request=None, *args, **kwargs) -> list:
        return list(self.get_all_scopes())


def without_unknown_scopes(scopes: list[str], client: Any, request: Any) -> list[str]:
    """The requested scopes less those the provider does not know, for an OpenID request
    (Core 3.1.2.1: scope values that are not understood SHOULD be ignored); otherwise, or
    when ``IGNORE_UNKNOWN_SCOPES`` is off, unchanged (so they fail as ``invalid_scope``)."""
    if "openid" not in scopes or not claims_settings.IGNORE_UNKNOWN_SCOPES:
        return list(scopes)
    available = set(get_scopes_backend().get_available_scopes(application=client, request=request))
    return [scope for scope in scopes if scope in available]
