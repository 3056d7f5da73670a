"""Who may do what: token scopes for OAuth 2 clients, then Django permissions of the user."""

from __future__ import annotations

from typing import Any

from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework.permissions import SAFE_METHODS, BasePermission, DjangoModelPermissions

# OAuth 2 scopes of the API. A token needs one of them; the user's permissions still apply.
READ_SCOPE = "claims.read"
MANAGE_SCOPE = "claims.manage"


class TokenHasClaimsScope(BasePermission):
    """A token needs ``claims.read`` or ``claims.manage`` to read, ``claims.manage`` to write.

    A view whose unsafe methods change nothing (the preview) sets ``read_only_api = True``.
    Session-authenticated requests carry no scopes: the user's permissions alone decide.
    """

    message = (
        f"This access token lacks the scope for this request: reading needs {READ_SCOPE!r} "
        f"or {MANAGE_SCOPE!r}, changing needs {MANAGE_SCOPE!r}."
    )

    def has_permission(self, request: Any, view: Any) -> bool:
        if not isinstance(request.successful_authenticator, OAuth2Authentication):
            return True
        reading = request.method in SAFE_METHODS or getattr(view, "read_only_api", False)
        accepted = (READ_SCOPE, MANAGE_SCOPE) if reading else (MANAGE_SCOPE,)
        return any(request.auth.allow_scopes([scope]) for scope in accepted)


class HasUser(BasePermission):
    """Only a user can hold model permissions; client-credentials tokens have none."""

    message = (
        "Authenticate as a user: log in to the admin, or use an access token issued to a "
        "user (client-credentials tokens carry no user permissions)."
    )

    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated)


class ModelPermissions(DjangoModelPermissions):
    """Django's model permissions, with ``view`` required for reads (DRF's default lets any
    authenticated user read)."""

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }


class HasRequiredPermissions(BasePermission):
    """The user holds every permission in the view's ``required_permissions``
    (a list, or a dict from HTTP method to list)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        required = view.required_permissions
        if isinstance(required, dict):
            required = required.get(request.method, ())
        return bool(request.user) and request.user.has_perms(required)


API_PERMISSION_CLASSES = (HasUser, TokenHasClaimsScope)
