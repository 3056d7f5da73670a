"""Whether the site wired django-oauth-toolkit to this app: its validator and token generator.

The checks report the wiring that is missing; the preview says when real tokens would differ
from what it shows.
"""

from __future__ import annotations

from typing import Any

from oauth2_provider.settings import oauth2_settings

from oidc_claims.oauth.generators import generate_access_token
from oidc_claims.oauth.validator import ClaimsOAuth2Validator

VALIDATOR_PATH = "oidc_claims.oauth.validator.ClaimsOAuth2Validator"
GENERATOR_PATH = "oidc_claims.oauth.generators.generate_access_token"
REFRESH_GENERATOR_PATH = "oauthlib.oauth2.rfc6749.tokens.random_token_generator"


def configured_validator_class() -> Any:
    """DOT's ``OAUTH2_VALIDATOR_CLASS``, as its settings resolve it."""
    return oauth2_settings.OAUTH2_VALIDATOR_CLASS


def validator_is_ours(validator_class: Any = None) -> bool:
    """Whether ``validator_class`` (default: the configured one) is ClaimsOAuth2Validator or
    a subclass of it."""
    candidate = configured_validator_class() if validator_class is None else validator_class
    return isinstance(candidate, type) and issubclass(candidate, ClaimsOAuth2Validator)


def generator_is_ours(generator: Any = None) -> bool:
    """Whether ``generator`` (default: DOT's ``ACCESS_TOKEN_GENERATOR``) is this app's."""
    candidate = oauth2_settings.ACCESS_TOKEN_GENERATOR if generator is None else generator
    return candidate is generate_access_token or candidate == GENERATOR_PATH
