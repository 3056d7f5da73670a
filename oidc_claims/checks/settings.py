"""System checks of the site's configuration of this app: every ``OIDC_CLAIMS`` key and type,
and the order of ``INSTALLED_APPS``.

The settings object raises on an unknown key when it is first read, which may be in the
middle of a request; these checks report every problem at once, at startup (``runserver``,
``migrate``, ``check --deploy``), with the exact fix.
"""

from __future__ import annotations

import difflib
from typing import Any

from django.conf import settings
from django.core import checks

from oidc_claims.conf import DEFAULTS, SETTINGS_NAME
from oidc_claims.installed_apps import ORDER_HINT, installed_apps_order_problem

TAG = "oidc_claims"

_NUMBER = (int, float)
# Types accepted for settings whose default does not say it (None, or more than one type).
# Every other key accepts the type of its default (an int also where a float is the default).
EXTRA_TYPES: dict[str, tuple[type, ...]] = {
    "ACCESS_TOKEN_AUDIENCE": (str, type(None)),
    "API_AUDIENCE": (str, type(None)),
    "RESOURCE_SERVER_ISSUER": (str, type(None)),
    "RESOURCE_SERVER_JWKS_URL": (str, type(None)),
    "RESOURCE_SERVER_AUDIENCE": (str, list, tuple, type(None)),
    "VERSION_RECHECK_SECONDS": (int, float, type(None)),
    "PKCE_METHODS": (list, tuple),
    "SIGNING_KEYS_ENCRYPTION_KEY": (str, list, tuple, type(None)),
    "SIGNING_KEY_PUBLISH_SECONDS": (int, type(None)),
    "SIGNING_KEY_RETIRE_SECONDS": (int, type(None)),
    "REVISIONS_KEEP": (int, type(None)),
    "REVISIONS_KEEP_DAYS": (int, float, type(None)),
}
# Settings that may also hold a callable.
CALLABLE_SETTINGS = frozenset({"INTROSPECTION_POLICY"})


def accepted_types(name: str) -> tuple[type, ...]:
    """The Python types ``OIDC_CLAIMS[name]`` may hold."""
    if name in EXTRA_TYPES:
        return EXTRA_TYPES[name]
    default = DEFAULTS[name]
    if isinstance(default, bool):
        return (bool,)
    if isinstance(default, _NUMBER):
        return _NUMBER if isinstance(default, float) else (int,)
    if isinstance(default, (list, tuple)):
        return (list, tuple)
    return (type(default),)


def type_problem(name: str, value: Any) -> str | None:
    """Why ``value`` cannot be ``OIDC_CLAIMS[name]``, or None."""
    if name in CALLABLE_SETTINGS and callable(value):
        return None
    types = accepted_types(name)
    # bool is an int: a True where a number is expected is a mistake, not a 1.
    if isinstance(value, bool) and bool not in types:
        return _expected(types)
    if isinstance(value, types):
        return None
    return _expected(types)


def _expected(types: tuple[type, ...]) -> str:
    names = sorted({"None" if t is type(None) else t.__name__ for t in types})
    return "expected " + " or ".join(names)


@checks.register(TAG)
def check_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """``OIDC_CLAIMS`` is a dict of known keys, each holding a value of the right type."""
    value = getattr(settings, SETTINGS_NAME, {}) or {}
    if not isinstance(value, dict):
        return [
            checks.Error(
                f"settings.{SETTINGS_NAME} is a {type(value).__name__}, not a dict.",
                hint=f"Set {SETTINGS_NAME} = {{...}} with the keys listed in the README's "
                "Settings table, or remove it to use the defaults.",
                id="oidc_claims.E013",
            )
        ]
    errors = []
    for name in sorted(value, key=str):
        if name not in DEFAULTS:
            close = difflib.get_close_matches(str(name), DEFAULTS, n=1)
            errors.append(
                checks.Error(
                    f"{SETTINGS_NAME}[{name!r}] is not a setting of oidc_claims: reading the "
                    "settings will fail.",
                    hint=(f"Did you mean {close[0]!r}? " if close else "")
                    + f"Known keys: {', '.join(sorted(DEFAULTS))}.",
                    id="oidc_claims.E013",
                )
            )
            continue
        problem = type_problem(name, value[name])
        if problem is not None:
            errors.append(
                checks.Error(
                    f"{SETTINGS_NAME}[{name!r}] = {value[name]!r} has the wrong type: {problem}.",
                    hint=f"Set {SETTINGS_NAME}[{name!r}] to a value like the default, "
                    f"{DEFAULTS[name]!r}, or remove the key.",
                    id="oidc_claims.E013",
                )
            )
    return errors


@checks.register(TAG)
def check_installed_apps_order(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    problem = installed_apps_order_problem()
    if problem is None:
        return []
    return [checks.Error(f"{problem}.", hint=ORDER_HINT, id="oidc_claims.E014")]
