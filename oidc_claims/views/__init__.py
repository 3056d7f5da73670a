"""Endpoints that replace DOT's where DOT has no hook: CORS, introspection claims, discovery."""

from .authorization import ClaimsAuthorizationView
from .device import ClaimsDeviceAuthorizationView
from .discovery import AuthorizationServerMetadataView, ClaimsDiscoveryInfoView
from .endpoints import (
    CorsRevokeTokenView,
    CorsTokenView,
    CorsUserInfoView,
)
from .introspection import ClaimsIntrospectTokenView
from .jwks import ClaimsJwksInfoView
from .logout import ClaimsRPInitiatedLogoutView

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
