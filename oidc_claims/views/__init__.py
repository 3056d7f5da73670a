"""Endpoints that replace DOT's where DOT has no hook: CORS, introspection claims, discovery."""

from .device import ClaimsDeviceAuthorizationView
from .discovery import ClaimsDiscoveryInfoView
from .endpoints import (
    ClaimsAuthorizationView,
    CorsRevokeTokenView,
    CorsTokenView,
    CorsUserInfoView,
)
from .introspection import ClaimsIntrospectTokenView

__all__ = [
    "ClaimsDeviceAuthorizationView",
    "ClaimsAuthorizationView",
    "ClaimsDiscoveryInfoView",
    "ClaimsIntrospectTokenView",
    "CorsRevokeTokenView",
    "CorsTokenView",
    "CorsUserInfoView",
]
