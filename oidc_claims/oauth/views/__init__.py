"""Endpoints that replace DOT's where DOT has no hook: CORS, introspection claims, discovery."""

from oidc_claims.oauth.views.authorization import ClaimsAuthorizationView
from oidc_claims.oauth.views.device import ClaimsDeviceAuthorizationView
from oidc_claims.oauth.views.discovery import (
    AuthorizationServerMetadataView,
    ClaimsDiscoveryInfoView,
)
from oidc_claims.oauth.views.endpoints import CorsRevokeTokenView, CorsTokenView, CorsUserInfoView
from oidc_claims.oauth.views.introspection import ClaimsIntrospectTokenView
from oidc_claims.oauth.views.jwks import ClaimsJwksInfoView
from oidc_claims.oauth.views.logout import ClaimsRPInitiatedLogoutView

__all__ = [
    "AuthorizationServerMetadataView",
    "ClaimsAuthorizationView",
    "ClaimsDeviceAuthorizationView",
    "ClaimsDiscoveryInfoView",
    "ClaimsIntrospectTokenView",
    "ClaimsJwksInfoView",
    "ClaimsRPInitiatedLogoutView",
    "CorsRevokeTokenView",
    "CorsTokenView",
    "CorsUserInfoView",
]
