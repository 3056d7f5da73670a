"""Where oidc_claims must sit in ``INSTALLED_APPS``: after ``oauth2_provider``.

The admin stops startup with the fix when the order is wrong (check oidc_claims.E014 reports
it too): DOT's admin module would otherwise fail with a bare ``AlreadyRegistered``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured


def installed_apps_order_problem(app_names: list[str] | None = None) -> str | None:
    """Why ``INSTALLED_APPS`` cannot hold this app where it does, or None.

    oidc_claims extends DOT's application admin and replaces some of DOT's registrations:
    ``oauth2_provider`` must come first.
    """
    names = app_names if app_names is not None else [a.name for a in apps.get_app_configs()]
    if "oauth2_provider" not in names:
        return "'oauth2_provider' is not in INSTALLED_APPS"
    if names.index("oauth2_provider") > names.index("oidc_claims"):
        return "'oidc_claims' comes before 'oauth2_provider' in INSTALLED_APPS"
    return None


ORDER_HINT = "List 'oauth2_provider' in INSTALLED_APPS, before 'oidc_claims'."


def raise_for_installed_apps_order(
    order_problem: Callable[[], str | None] = installed_apps_order_problem,
) -> None:
    """Stop with the fix, where the wrong order would otherwise fail with a bare error."""
    problem = order_problem()
    if problem is not None:
        raise ImproperlyConfigured(f"{problem}. {ORDER_HINT}")
