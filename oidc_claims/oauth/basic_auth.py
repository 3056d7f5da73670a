"""HTTP Basic client credentials (RFC 6749 section 2.3.1) that fail cleanly when malformed."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import unquote_plus


def basic_credentials(authorization: str) -> tuple[str, str] | None:
    """The client id and secret in an ``Authorization: Basic`` header value, or None.

    Both are form-encoded inside the Base64 text (RFC 6749 section 2.3.1). None when the
    scheme is not Basic, or the credentials are not Base64 of UTF-8 text.
    """
    scheme, _, credentials = authorization.partition(" ")
    if scheme.lower() != "basic" or not credentials.strip():
        return None
    try:
        decoded = base64.b64decode(credentials.strip(), validate=True).decode("utf-8")
    except ValueError:  # binascii.Error and UnicodeDecodeError are ValueErrors
        return None
    client_id, _, secret = decoded.partition(":")
    return unquote_plus(client_id), unquote_plus(secret)


class MalformedBasicAuthMixin:
    """For an OAuth2Validator: malformed Basic credentials are failed client authentication.

    DOT 3.4 lets ``base64.b64decode`` raise ``ValueError`` on a non-ASCII byte in the header
    (a 500). Bad base64, bytes that are not UTF-8, a missing colon and broken percent-encoding
    already fail authentication in DOT: the client is answered ``invalid_client`` (HTTP 401).
    The scheme name is matched case-insensitively (RFC 9110 section 11.1).
    """

    def _extract_basic_auth(self, request: Any) -> str | None:
        authorization = request.headers.get("HTTP_AUTHORIZATION", None)
        if not authorization:
            return None
        scheme, _, credentials = authorization.partition(" ")
        if scheme.lower() != "basic":
            return None
        return credentials.strip()  # empty: Basic was tried, and fails

    def _authenticate_basic_auth(self, request: Any) -> bool:
        credentials = self._extract_basic_auth(request)
        if credentials is not None and not credentials.isascii():
            return False
        return super()._authenticate_basic_auth(request)  # type: ignore[misc]
