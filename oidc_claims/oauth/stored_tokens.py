"""DOT's stored access tokens, found by the value a client presents.

DOT keeps a SHA-256 ``token_checksum`` beside each token (and, with
``COMPLIANT_BCP_RFC9700_TOKEN_STORAGE``, only the checksum), indexed: every lookup by value
goes through it.
"""

from __future__ import annotations

import hashlib
from functools import partial
from typing import Any

from django.db.models import QuerySet
from oauth2_provider.models import get_access_token_model

from oidc_claims.models.prepared_lookup import PreparedLookup


def token_checksum(token: str) -> str:
    """The ``token_checksum`` DOT stores for the token ``token``."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def find_access_token(token: str, *related: str) -> Any:
    """The stored access token whose value is ``token``, with ``related`` selected, or None."""
    lookup = _LOOKUPS.get(related)
    if lookup is None:
        lookup = _LOOKUPS[related] = PreparedLookup(
            f"access_token:{','.join(related)}", partial(_tokens_with_checksum, related)
        )
    return lookup.first(token_checksum(token))


def _tokens_with_checksum(related: tuple[str, ...], checksum: str) -> QuerySet:
    tokens = get_access_token_model().objects
    if related:  # select_related() without names would follow every foreign key
        tokens = tokens.select_related(*related)
    return tokens.filter(token_checksum=checksum).order_by("pk")


# One prepared look-up per set of related objects (each caller asks for its own).
_LOOKUPS: dict[tuple[str, ...], PreparedLookup] = {}
