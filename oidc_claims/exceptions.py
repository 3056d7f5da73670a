"""Errors the claim engine hands to the token layer."""

from __future__ import annotations


class GroupLimitExceeded(Exception):
    """A groups claim matched more groups than its limit; the token request must be refused.

    The token layer turns this into an OAuth error response; the message names the claim and
    the limit so that the client's developer and the admin know what to change.
    """

    def __init__(self, claim_name: str, limit: int, count: int) -> None:
        self.claim_name = claim_name
        self.limit = limit
        self.count = count
        super().__init__(
            f"The claim {claim_name!r} matches {count} groups, more than its limit of {limit}; "
            "an administrator must narrow its group filter or raise its group limit."
        )
