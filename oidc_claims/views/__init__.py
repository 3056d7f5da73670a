"""Endpoints that replace DOT's where DOT has no hook: CORS, introspection claims, discovery."""

from .discovery import ClaimsDiscoveryInfoView
from .endpoints import CorsRevokeTokenView, CorsTokenView, CorsUserInfoView
from .introspection import ClaimsIntrospectTokenView

__all__ = [
    "ClaimsDiscoveryInfoView",
    "ClaimsIntrospectTokenView",
    "CorsRevokeTokenView",
    "CorsTokenView",
    "CorsUserInfoView",
]
