"""Errors the claim engine hands to the token layer."""

from __future__ import annotations

from oidc_claims.exceptions import TokenRefused
from oidc_claims.expressions.errors import GroupLimitExceeded

__all__ = ["ClaimValueTooLarge", "GroupLimitExceeded", "TokenRefused", "TokenTooLarge"]


class TokenTooLarge(TokenRefused):
    """A token's claims encode to more than ``TOKEN_MAX_BYTES``; the request must be refused."""

    def __init__(self, token: str, size: int, limit: int) -> None:
        self.token = token
        self.size = size
        self.limit = limit
        super().__init__(
            f"The {token}'s claims encode to {size} bytes of JSON, more than the limit of "
            f"{limit} (OIDC_CLAIMS['TOKEN_MAX_BYTES']); an administrator must make its claims "
            "smaller or send fewer of them to this destination."
        )


class ClaimValueTooLarge(Exception):
    """One claim's value encodes to more than ``CLAIM_MAX_BYTES``; the claim is omitted."""

    def __init__(self, claim_name: str, size: int, limit: int) -> None:
        self.claim_name = claim_name
        self.size = size
        self.limit = limit
        super().__init__(
            f"the value encodes to {size} bytes of JSON, more than the limit of {limit} "
            "(OIDC_CLAIMS['CLAIM_MAX_BYTES']); make the expression's result smaller"
        )
