"""The issuer of claim tests run from a command: OIDC_ISS_ENDPOINT, or the site's base URL."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.management.base import CommandError
from django.http import HttpRequest
from oauth2_provider.settings import oauth2_settings

BASE_URL_HELP = (
    "The site's URL, for the issuer (iss) of the claim tests when "
    "OAUTH2_PROVIDER['OIDC_ISS_ENDPOINT'] is not set (default: http://localhost)."
)


class IssuerRequest(HttpRequest):
    """The request the issuer is derived from when OIDC_ISS_ENDPOINT is not set: the site's
    base URL, as the token endpoint would be reached."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise CommandError(
                f"--base-url {base_url!r}: give a URL such as https://idp.example.com"
            )
        self._base_scheme, self._base_host = parts.scheme, parts.netloc

    def get_host(self) -> str:
        return self._base_host

    def _get_scheme(self) -> str:
        return self._base_scheme


def issuer_request(base_url: str) -> HttpRequest | None:
    """None when OIDC_ISS_ENDPOINT names the issuer, else the request it is derived from."""
    return None if oauth2_settings.OIDC_ISS_ENDPOINT else IssuerRequest(base_url)
