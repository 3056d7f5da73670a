"""Kept for settings written before 0.2: the same as ``oidc_claims.oauth.validator``."""

from oidc_claims.oauth.validator import ClaimsOAuth2Validator

__all__ = ['ClaimsOAuth2Validator']
