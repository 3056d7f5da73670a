"""System checks of the token wiring: validator class, token generators, access-token format, urls.

Kept apart from ``checks.py`` (foundation and claim configuration) and registered in
``AppConfig.ready()`` like them; ids continue the ``oidc_claims.E0xx/W0xx`` series.
"""

from __future__ import annotations

from typing import Any

from django.core import checks
from oauth2_provider.settings import oauth2_settings

from oidc_claims.checks.provider import TAG
from oidc_claims.conf import claims_settings
from oidc_claims.oauth.dot_private_api import BYPASSED_PUBLIC_HOOKS
from oidc_claims.oauth.validator import ClaimsOAuth2Validator
from oidc_claims.oauth.views import ClaimsIntrospectTokenView, CorsTokenView
from oidc_claims.oauth.wiring import (
    GENERATOR_PATH,
    REFRESH_GENERATOR_PATH,
    VALIDATOR_PATH,
    generator_is_ours,
    validator_is_ours,
)

ACCESS_TOKEN_FORMATS = ("jwt", "opaque")



@checks.register(TAG)
def check_validator_class(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    validator_class = oauth2_settings.OAUTH2_VALIDATOR_CLASS
    if validator_is_ours(validator_class):
        return []
    return [
        checks.Error(
            f"OAUTH2_PROVIDER['OAUTH2_VALIDATOR_CLASS'] is {validator_class!r}, not a subclass "
            "of ClaimsOAuth2Validator: configured claims are missing from ID tokens and "
            "userinfo, and JWT access tokens are refused by DOT's resource views.",
            hint=f"Set OAUTH2_PROVIDER['OAUTH2_VALIDATOR_CLASS'] = {VALIDATOR_PATH!r}, or make "
            "your validator class inherit from it.",
            id="oidc_claims.E005",
        )
    ]


@checks.register(TAG)
def check_access_token_format(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    value = claims_settings.ACCESS_TOKEN_FORMAT
    if value in ACCESS_TOKEN_FORMATS:
        return []
    return [
        checks.Error(
            f"OIDC_CLAIMS['ACCESS_TOKEN_FORMAT'] is {value!r}.",
            hint='Set it to "jwt" (signed RFC 9068 access tokens) or "opaque" (DOT\'s random '
            "tokens; claims by introspection only).",
            id="oidc_claims.E006",
        )
    ]


@checks.register(TAG)
def check_access_token_generator(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    if claims_settings.ACCESS_TOKEN_FORMAT != "jwt":
        return []
    generator = oauth2_settings.ACCESS_TOKEN_GENERATOR
    if generator_is_ours(generator):
        return []
    return [
        checks.Error(
            "OIDC_CLAIMS['ACCESS_TOKEN_FORMAT'] is \"jwt\" but "
            f"OAUTH2_PROVIDER['ACCESS_TOKEN_GENERATOR'] is {generator!r}: access tokens are "
            "not JWTs and carry no claims.",
            hint=f"Set OAUTH2_PROVIDER['ACCESS_TOKEN_GENERATOR'] = {GENERATOR_PATH!r}, or set "
            "OIDC_CLAIMS['ACCESS_TOKEN_FORMAT'] = \"opaque\".",
            id="oidc_claims.E007",
        )
    ]


@checks.register(TAG)
def check_refresh_token_generator(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    if not generator_is_ours(oauth2_settings.ACCESS_TOKEN_GENERATOR):
        return []
    if oauth2_settings.REFRESH_TOKEN_GENERATOR:
        return []
    return [
        checks.Error(
            "OAUTH2_PROVIDER['REFRESH_TOKEN_GENERATOR'] is not set, so oauthlib mints refresh "
            "tokens with the JWT access-token generator: refresh tokens would be readable "
            "JWTs carrying the access token's claims.",
            hint=f"Set OAUTH2_PROVIDER['REFRESH_TOKEN_GENERATOR'] = {REFRESH_GENERATOR_PATH!r}.",
            id="oidc_claims.E008",
        )
    ]


@checks.register(TAG, checks.Tags.urls)
def check_urls(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from django.urls import NoReverseMatch, resolve, reverse


    expected = {"token": CorsTokenView, "introspect": ClaimsIntrospectTokenView}
    wrong = []
    for name, view_class in expected.items():
        try:
            match = resolve(reverse(f"oauth2_provider:{name}"))
        except NoReverseMatch:
            continue  # the site serves no such endpoint: nothing to get wrong.
        if getattr(match.func, "view_class", None) is not view_class:
            wrong.append(name)
    if not wrong:
        return []
    return [
        checks.Warning(
            f"The oauth2_provider {', '.join(wrong)} endpoint(s) are DOT's own views: no "
            "per-application CORS, introspection without claims, discovery without "
            "claims_parameter_supported.",
            hint='Include path("o/", include("oidc_claims.urls", namespace="oauth2_provider")) '
            'in place of include("oauth2_provider.urls").',
            id="oidc_claims.W002",
        )
    ]



@checks.register(TAG)
def check_bypassed_validator_hooks(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    validator_class = oauth2_settings.OAUTH2_VALIDATOR_CLASS
    if not validator_is_ours(validator_class):
        return []  # E005 says what is wrong
    return [
        checks.Error(
            f"{validator_class.__qualname__}.{name} overrides a django-oauth-toolkit hook that "
            f"oidc_claims does not call: {why}, so the override has no effect.",
            hint="Configure the claim in the admin (Claim definitions), or override "
            "get_id_token_payload(id_token, token_handler, request), which returns the "
            "payload and its expiry, calling super().",
            id="oidc_claims.E021",
        )
        for name, why in BYPASSED_PUBLIC_HOOKS.items()
        if getattr(validator_class, name) is not getattr(ClaimsOAuth2Validator, name)
    ]
