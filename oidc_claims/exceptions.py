"""The errors every layer may raise when a token request cannot be served as configured."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured


class TokenRefused(Exception):
    """The token request cannot be served as configured; the token layer must refuse it.

    The token layer turns this into an OAuth error response; the message names what is at
    fault and what an administrator must change.
    """


class SigningUnavailable(ImproperlyConfigured):
    """The provider holds no usable key for an algorithm it must sign with now: no active key,
    or one that the configured encryption secret does not open.

    Nothing a client sent is at fault, and nothing is signed with another key instead: the
    endpoints answer 503 ``temporarily_unavailable`` and log this message, which names the fix
    (checks E017 and E020 report the same state at ``migrate`` and ``check --database``).
    """
