"""HTTP Basic client credentials (RFC 6749 section 2.3.1) that fail cleanly when malformed."""

from __future__ import annotations

from typing import Any


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
