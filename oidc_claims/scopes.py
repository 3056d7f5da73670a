"""Kept for settings written before 0.2: the same as ``oidc_claims.oauth.scopes``."""

from oidc_claims.oauth.scopes import OpenIDScopes

__all__ = ['OpenIDScopes']
