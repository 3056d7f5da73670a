"""PKCE as RFC 9700 section 2.1.1 wants it: S256 only, well-formed verifiers, no downgrade.

oauthlib and DOT accept ``plain`` (and take a missing method for ``plain``), verifiers of any
length, and a ``code_verifier`` at the token endpoint for a code issued without a challenge.
The validator calls :func:`check_authorization_request` at ``/authorize`` and
:func:`check_token_request` at ``/token``; both raise oauthlib errors, which the endpoints
answer as the protocol says (an error redirect, or a JSON error body).
"""

from __future__ import annotations

import re
from typing import Any

from oauthlib.oauth2.rfc6749 import errors

from oidc_claims.conf import claims_settings

# RFC 7636 section 4.1: code_verifier = 43*128unreserved, unreserved = ALPHA / DIGIT / "-" /
# "." / "_" / "~".
VERIFIER_PATTERN = re.compile(r"[A-Za-z0-9\-._~]{43,128}")
# RFC 7636 section 4.2: an S256 challenge is BASE64URL(SHA256(verifier)) without padding,
# always 43 characters; a plain challenge is the verifier itself.
CHALLENGE_PATTERNS = {
    "S256": re.compile(r"[A-Za-z0-9\-_]{43}"),
    "plain": VERIFIER_PATTERN,
}


def allowed_methods() -> tuple[str, ...]:
    """The ``code_challenge_method`` values this server accepts (discovery announces them)."""
    return tuple(method for method in claims_settings.PKCE_METHODS if method in CHALLENGE_PATTERNS)


def check_authorization_request(request: Any) -> None:
    """Refuse a challenge with a method other than the allowed ones, or a malformed one.

    A challenge without ``code_challenge_method`` means ``plain`` (RFC 7636 section 4.3), so it
    is refused unless ``plain`` is allowed.
    """
    challenge = getattr(request, "code_challenge", None)
    if challenge is None:
        return
    method = getattr(request, "code_challenge_method", None) or "plain"
    if method not in allowed_methods():
        raise errors.InvalidRequestError(
            description=(
                f"code_challenge_method {method!r} is not accepted; use "
                f"{' or '.join(allowed_methods())} (RFC 9700 section 2.1.1)."
            ),
            request=request,
        )
    if not CHALLENGE_PATTERNS[method].fullmatch(challenge):
        raise errors.InvalidRequestError(
            description=(
                f"code_challenge is not a valid {method} challenge (RFC 7636 section 4.2)."
            ),
            request=request,
        )


def check_token_request(challenge: str | None, method: str | None, request: Any) -> None:
    """Refuse a malformed verifier, a verifier for a code issued without a challenge
    (a downgrade), and a code issued with a method that is no longer accepted."""
    verifier = getattr(request, "code_verifier", None)
    if challenge is None:
        if verifier is not None:
            raise errors.InvalidGrantError(
                description=(
                    "code_verifier was sent, but the authorization request had no "
                    "code_challenge (RFC 9700 section 2.1.1)."
                ),
                request=request,
            )
        return
    if verifier is not None and not VERIFIER_PATTERN.fullmatch(verifier):
        raise errors.InvalidRequestError(
            description=(
                "code_verifier must be 43 to 128 characters of A-Z a-z 0-9 - . _ ~ "
                "(RFC 7636 section 4.1)."
            ),
            request=request,
        )
    if method is not None and method not in allowed_methods():
        raise errors.InvalidGrantError(
            description=f"The code was issued for code_challenge_method {method!r}.",
            request=request,
        )
