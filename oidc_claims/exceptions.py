"""The error every layer may raise when a token request cannot be served as configured."""

from __future__ import annotations


class TokenRefused(Exception):
    """The token request cannot be served as configured; the token layer must refuse it.

    The token layer turns this into an OAuth error response; the message names what is at
    fault and what an administrator must change.
    """
