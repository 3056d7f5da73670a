"""What an authorization code binds (RFC 6749 section 4.1.2, 4.1.3): one use, one redirect URI.

The tokens issued for a code form one refresh-token family (DOT's ``token_family``) whose id is
derived from the code, so a replay of the code, which finds no grant any more, can still name
the family and revoke it: the first exchange's access and refresh tokens and all their
rotations. A family id is a UUID computed from a one-way hash of the code; the code itself
is never stored.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import OperationalError, transaction
from oauth2_provider.models import get_refresh_token_model
from oauthlib.oauth2.rfc6749 import errors

_FAMILY_DOMAIN = b"oidc_claims authorization-code token family\x00"


@dataclass(frozen=True)
class CodeFamily:
    """Stands for the refresh token before the first one of a code's family: DOT's
    ``_create_refresh_token`` continues the ``token_family`` of the token it is given."""

    token_family: uuid.UUID


def family_of_code(code: str) -> uuid.UUID:
    """The token family of the tokens issued for ``code``."""
    digest = hashlib.sha256(_FAMILY_DOMAIN + code.encode("utf-8")).digest()
    return uuid.UUID(bytes=digest[:16], version=4)


def head_of_family(request: Any) -> CodeFamily | None:
    """The family a code exchange's first refresh token starts, or None for other grants."""
    code = getattr(request, "code", None)
    if request.grant_type != "authorization_code" or not code:
        return None
    return CodeFamily(family_of_code(code))


def revoke_tokens_of_code(code: str | None) -> None:
    """Revoke every token issued for ``code`` (RFC 6749 section 4.1.2: a code used twice).

    The refresh tokens of the family are revoked and their access tokens deleted, by DOT's
    own family revocation; a code that was never exchanged has no family and costs two
    statements that change nothing.
    """
    if code:
        revoke_token_family(family_of_code(code))


def revoke_token_family(family: uuid.UUID) -> None:
    """Revoke the refresh tokens of ``family`` and delete their access tokens.

    Concurrent replays of one code revoke the same family at once; PostgreSQL may then abort
    one of them as a deadlock, and that one is tried again (in a savepoint of its own).
    """
    for attempt in range(_REVOCATION_ATTEMPTS):
        try:
            with transaction.atomic():
                _revoke_token_family(family)
            return
        except OperationalError:
            if attempt == _REVOCATION_ATTEMPTS - 1:
                raise


_REVOCATION_ATTEMPTS = 5


def _revoke_token_family(family: uuid.UUID) -> None:
    RefreshToken = get_refresh_token_model()
    if hasattr(RefreshToken, "revoke_family"):  # DOT 3.4.1: a constant number of statements
        RefreshToken.revoke_family(family)
        return
    for refresh_token in RefreshToken.objects.filter(token_family=family, revoked__isnull=True):
        refresh_token.revoke()


def require_redirect_uri(request: Any) -> None:
    """Refuse a code exchange without ``redirect_uri`` (RFC 6749 section 4.1.3).

    The URI must be sent when the authorization request carried one. DOT records the
    effective redirect URI with every code and, after the consent form, can no longer tell
    whether the client named it or let it default; OpenID Connect requires it in every
    authentication request, so it is required at the token endpoint for every code.
    """
    if getattr(request, "using_default_redirect_uri", False):
        raise errors.InvalidRequestError(
            description=(
                "redirect_uri is required: send the redirect_uri of the authorization "
                "request (RFC 6749 section 4.1.3)."
            ),
            request=request,
        )
