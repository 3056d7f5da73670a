"""System checks of the OpenID Connect protocol wiring: scopes and the root metadata route.

Registered in ``AppConfig.ready()``; ids continue the ``oidc_claims.E0xx/W0xx`` series.
"""

from __future__ import annotations

from typing import Any

from django.core import checks

from oidc_claims.checks.provider import TAG
from oidc_claims.oauth.scopes import STANDARD_SCOPES

SCOPES_BACKEND_PATH = "oidc_claims.oauth.scopes.OpenIDScopes"


@checks.register(TAG)
def check_standard_scopes(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from oauth2_provider.scopes import get_scopes_backend


    available = set(get_scopes_backend().get_available_scopes())
    missing = [scope for scope in STANDARD_SCOPES if scope not in available]
    if not missing:
        return []
    return [
        checks.Warning(
            f"The standard OpenID Connect scopes {', '.join(missing)} are not available: "
            "relying parties that request them get invalid_scope, or lose them silently.",
            hint=f"Set OAUTH2_PROVIDER['SCOPES_BACKEND_CLASS'] = {SCOPES_BACKEND_PATH!r}, or "
            "list these scopes in OAUTH2_PROVIDER['SCOPES'].",
            id="oidc_claims.W005",
        )
    ]
