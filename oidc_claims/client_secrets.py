"""Kept for settings written before 0.2: the same as ``oidc_claims.oauth.client_secrets``."""

from oidc_claims.oauth.client_secrets import ClientSecretHasher

__all__ = ['ClientSecretHasher']
