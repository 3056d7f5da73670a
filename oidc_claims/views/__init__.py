"""Endpoints that replace DOT's where DOT has no hook: CORS, introspection claims, discovery."""

from .discovery import ClaimsDiscoveryInfoView
from .endpoints import (
    ClaimsAuthorizationView,
    CorsRevokeTokenView,
    CorsTokenView,
    CorsUserInfoView,
)
from .introspection import ClaimsIntrospectTokenView

__all__ = [
    "ClaimsAuthorizationView",
    "ClaimsDiscoveryInfoView",
    "ClaimsIntrospectTokenView",
    "CorsRevokeTokenView",
    "CorsTokenView",
    "CorsUserInfoView",
]
