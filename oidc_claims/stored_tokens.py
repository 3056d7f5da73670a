"""DOT's stored access tokens, found by the value a client presents.

DOT keeps a SHA-256 ``token_checksum`` beside each token (and, with
``COMPLIANT_BCP_RFC9700_TOKEN_STORAGE``, only the checksum), indexed: every lookup by value
goes through it.
"""

from __future__ import annotations

import hashlib
from typing import Any

from oauth2_provider.models import get_access_token_model


def token_checksum(token: str) -> str:
    """The ``token_checksum`` DOT stores for the token ``token``."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def find_access_token(token: str, *related: str) -> Any:
    """The stored access token whose value is ``token``, with ``related`` selected, or None."""
    tokens = get_access_token_model().objects
    if related:  # select_related() without names would follow every foreign key
        tokens = tokens.select_related(*related)
    return tokens.filter(token_checksum=token_checksum(token)).first()
