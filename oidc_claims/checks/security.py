"""System checks of the security choices a site must make: issuer, audiences, introspection.

Registered in ``AppConfig.ready()`` like the other check modules; ids continue the
``oidc_claims.E0xx`` series.
"""

from __future__ import annotations

from typing import Any

from django.core import checks
from oauth2_provider.settings import oauth2_settings

from oidc_claims.checks.provider import TAG
from oidc_claims.conf import claims_settings
from oidc_claims.oauth.introspection_policy import AUTHENTICATED, STRICT, configured_policy

LOCAL_AUTHENTICATION_PATH = (
    "oidc_claims.contrib.rest_framework.authentication.JWTAccessTokenAuthentication"
)



@checks.register(TAG, deploy=True)
def check_issuer_configured(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if oauth2_settings.OIDC_ISS_ENDPOINT:
        return []
    return [
        checks.Error(
            "OAUTH2_PROVIDER['OIDC_ISS_ENDPOINT'] is not set, so django-oauth-toolkit takes the "
            "issuer of discovery and of every token from the request's Host header, which any "
            "client can forge.",
            hint="Set OAUTH2_PROVIDER['OIDC_ISS_ENDPOINT'] to this provider's issuer URL, the "
            'HTTPS URL where oidc_claims.urls is included, e.g. "https://idp.example.com/o".',
            id="oidc_claims.E010",
        )
    ]


def _default_authentication_paths() -> set[str]:
    from django.conf import settings

    configured = getattr(settings, "REST_FRAMEWORK", {}).get("DEFAULT_AUTHENTICATION_CLASSES", ())
    return {
        item if isinstance(item, str) else f"{item.__module__}.{item.__qualname__}"
        for item in configured
    }


@checks.register(TAG)
def check_resource_server_audience(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    if claims_settings.RESOURCE_SERVER_AUDIENCE:
        return []
    if LOCAL_AUTHENTICATION_PATH not in _default_authentication_paths():
        return []
    return [
        checks.Error(
            "JWTAccessTokenAuthentication is a default DRF authentication class but "
            "OIDC_CLAIMS['RESOURCE_SERVER_AUDIENCE'] is not set: it refuses every token, "
            "since accepting any audience would let a token issued for another API of this "
            "issuer in here.",
            hint="Set OIDC_CLAIMS['RESOURCE_SERVER_AUDIENCE'] to this API's audience (a string "
            "or a list), the resource indicator that clients request for it and that its "
            "applications list in their access_token_audience.",
            id="oidc_claims.E011",
        )
    ]


@checks.register(TAG)
def check_introspection_policy(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    from django.core.exceptions import ImproperlyConfigured


    try:
        configured_policy()
    except ImproperlyConfigured as exc:
        return [
            checks.Error(
                str(exc),
                hint=f"Set OIDC_CLAIMS['INTROSPECTION_POLICY'] to {STRICT!r} (the default), "
                f"{AUTHENTICATED!r}, or a callable policy(caller, token_application, audiences) "
                "-> bool or its dotted path.",
                id="oidc_claims.E012",
            )
        ]
    return []
