"""Which active tokens an introspection caller may see: ``OIDC_CLAIMS["INTROSPECTION_POLICY"]``.

RFC 7662 section 4: an authorization server should tell a protected resource about a token
only when that resource is meant to receive it, or the answer leaks one application's users
and claims to another. The strict rule (the default) shows a token to its own client and to
the resource servers its audience names; any other caller is told ``{"active": false}``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from oidc_claims.conf import claims_settings, import_from_string
from oidc_claims.tokens.audiences import profile_of

STRICT = "strict"
AUTHENTICATED = "authenticated"
BUILT_IN_POLICIES = (STRICT, AUTHENTICATED)
SETTING = "INTROSPECTION_POLICY"

Policy = Callable[[Any, Any, list[str]], bool]


def served_audiences(application: Any) -> set[str]:
    """The audiences ``application`` answers to as a resource server: its client id and its
    app profile's ``resource_server_audiences``."""
    served = {application.client_id}
    profile = profile_of(application)
    if profile is not None:
        served.update(profile.resource_server_audiences.split())
    return served


def audience_or_own_client(caller: Any, token_application: Any, audiences: list[str]) -> bool:
    """The strict rule: the token's own client, or a resource server its audience names."""
    if caller.pk == token_application.pk:
        return True
    return bool(served_audiences(caller) & set(audiences))


def any_authenticated_caller(caller: Any, token_application: Any, audiences: list[str]) -> bool:
    """Every authenticated caller sees every token (django-oauth-toolkit's behaviour)."""
    return True


def configured_policy() -> Policy:
    """The policy function that the setting names; ImproperlyConfigured when it names none."""
    value = getattr(claims_settings, SETTING)
    if value == STRICT:
        return audience_or_own_client
    if value == AUTHENTICATED:
        return any_authenticated_caller
    if isinstance(value, str):
        value = import_from_string(value, SETTING)
    if not callable(value):
        raise ImproperlyConfigured(
            f"OIDC_CLAIMS[{SETTING!r}] is {value!r}: use {STRICT!r}, {AUTHENTICATED!r}, or a "
            "callable policy(caller, token_application, audiences) -> bool (or its dotted path)."
        )
    return value


def as_audience_list(aud: Any) -> list[str]:
    """An ``aud`` claim (a string or a list, RFC 7519 4.1.3) as a list of strings."""
    if isinstance(aud, str):
        return [aud]
    if isinstance(aud, Iterable):
        return [item for item in aud if isinstance(item, str)]
    return []


def caller_may_see(caller: Any, token_application: Any, audiences: list[str]) -> bool:
    """Whether the configured policy shows ``caller`` an active token of
    ``token_application`` issued for ``audiences``."""
    return bool(configured_policy()(caller, token_application, audiences))
