"""Kept for settings written before 0.2: the same as ``oidc_claims.oauth.generators``."""

from oidc_claims.oauth.generators import generate_access_token

__all__ = ['generate_access_token']
