"""RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): DOT's view, answering a
site that has not enabled it with a plain 404 (DOT raises ImproperlyConfigured, a 500,
when DEBUG is on), and an unknown ``client_id`` with DOT's invalid_request page (DOT 3.4
looks it up with ``get()``, a 500)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.utils.decorators import method_decorator
from oauth2_provider.compat import login_not_required
from oauth2_provider.exceptions import InvalidOIDCClientError
from oauth2_provider.models import get_application_model
from oauth2_provider.settings import oauth2_settings
from oauth2_provider.views import RPInitiatedLogoutView


@method_decorator(login_not_required, name="dispatch")
class ClaimsRPInitiatedLogoutView(RPInitiatedLogoutView):
    """DOT's end_session_endpoint; 404 while ``OIDC_RP_INITIATED_LOGOUT_ENABLED`` is off."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not oauth2_settings.OIDC_RP_INITIATED_LOGOUT_ENABLED:
            return HttpResponseNotFound(
                "RP-initiated logout is not enabled on this provider "
                "(OAUTH2_PROVIDER['OIDC_RP_INITIATED_LOGOUT_ENABLED']).",
                content_type="text/plain",
            )
        return super().dispatch(request, *args, **kwargs)

    def get_request_application(self, id_token: Any, client_id: str | None) -> Any:
        if client_id:
            application = get_application_model().objects.filter(client_id=client_id).first()
            if application is None:
                raise InvalidOIDCClientError()
            return application
        return super().get_request_application(id_token, client_id)
