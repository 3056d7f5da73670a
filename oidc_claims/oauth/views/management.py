"""DOT's client and token management pages, off unless a site opts in, and then staff-only.

DOT routes ``/applications/...`` to any logged-in user, who could register clients with any
grant and redirect URI. Here they answer 404 unless ``OIDC_CLAIMS["MANAGEMENT_VIEWS"]`` is
True; the application pages then require a staff user with the
``oauth2_provider.add_application`` permission, and their forms apply this app's
application rules. ``/authorized_tokens/`` stays each user's own list of tokens.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from oauth2_provider import views as dot_views

from oidc_claims.conf import claims_settings
from oidc_claims.oauth.application_forms import with_application_rules

# The permission that lets a staff user manage clients through these pages.
MANAGE_APPLICATIONS_PERMISSION = "oauth2_provider.add_application"


def _refuse_unless_enabled() -> None:
    if claims_settings.MANAGEMENT_VIEWS is not True:
        raise Http404("Management views are not enabled.")


class ManagementViewsEnabledMixin:
    """404 unless the site opted in with ``OIDC_CLAIMS["MANAGEMENT_VIEWS"] = True``."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        _refuse_unless_enabled()
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class StaffApplicationManagerMixin(AccessMixin):
    """Enabled or 404; then anonymous users go to the login page, and others need staff
    status and the permission (403 otherwise)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        _refuse_unless_enabled()
        user = request.user
        if not user.is_authenticated:
            return self.handle_no_permission()
        if not (user.is_active and user.is_staff and user.has_perm(MANAGE_APPLICATIONS_PERMISSION)):
            raise PermissionDenied(
                f"Managing clients needs a staff user with {MANAGE_APPLICATIONS_PERMISSION}."
            )
        return super().dispatch(request, *args, **kwargs)


class _RulesFormMixin:
    def get_form_class(self) -> Any:
        return with_application_rules(super().get_form_class())  # type: ignore[misc]


class ApplicationList(StaffApplicationManagerMixin, dot_views.ApplicationList):
    """DOT's list of the user's applications, for client managers only."""


class ApplicationRegistration(
    StaffApplicationManagerMixin, _RulesFormMixin, dot_views.ApplicationRegistration
):
    """DOT's registration page, for client managers only, with this app's rules."""


class ApplicationDetail(StaffApplicationManagerMixin, dot_views.ApplicationDetail):
    """DOT's application page, for client managers only."""


class ApplicationDelete(StaffApplicationManagerMixin, dot_views.ApplicationDelete):
    """DOT's delete page, for client managers only."""


class ApplicationUpdate(StaffApplicationManagerMixin, _RulesFormMixin, dot_views.ApplicationUpdate):
    """DOT's edit page, for client managers only, with this app's rules."""


class AuthorizedTokensList(ManagementViewsEnabledMixin, dot_views.AuthorizedTokensListView):
    """DOT's list of the logged-in user's own tokens."""


class AuthorizedTokenDelete(ManagementViewsEnabledMixin, dot_views.AuthorizedTokenDeleteView):
    """DOT's revocation page for one of the logged-in user's own tokens."""
