"""The authorization endpoint: DOT's, with OpenID Connect's ``prompt`` and ``max_age``.

- ``prompt=none`` never shows a page: it issues when the user is signed in (recently enough
  for ``max_age``) and has authorized the client before, and otherwise sends the client
  ``login_required`` or ``consent_required`` (Core 3.1.2.6). DOT 3.4 answers a signed-in
  ``prompt=none`` with a 500.
- ``prompt=login`` and ``max_age`` (0 included) send a signed-in user to sign in again.
- The time of the sign-in goes with the grant, for ``auth_time``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils.decorators import method_decorator
from oauth2_provider.compat import login_not_required
from oauth2_provider.exceptions import OAuthToolkitError
from oauth2_provider.models import get_application_model
from oauth2_provider.oauth2_validators import is_valid_resource_uri
from oauth2_provider.views import AuthorizationView
from oauthlib.oauth2.rfc6749.errors import CustomOAuth2Error

from oidc_claims.oauth.prompt import (
    error_redirect,
    has_prior_consent,
    needs_fresh_sign_in,
    prompt_values,
    remember_login_requested,
    without_login_prompt,
)
from oidc_claims.oauth.views.consent import ReleasedClaimsMixin
from oidc_claims.oauth.views.malformed import RefuseMalformedMixin
from oidc_claims.tokens.auth_time import REQUEST_ATTRIBUTE, session_auth_time


@method_decorator(login_not_required, name="dispatch")
class ClaimsAuthorizationView(RefuseMalformedMixin, ReleasedClaimsMixin, AuthorizationView):
    """DOT's authorization endpoint with ``prompt`` and ``max_age``, refusing parameters
    that no database look-up survives."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "none" in prompt_values(request):
            return self.authorize_silently(request)
        if needs_fresh_sign_in(request):
            return self.sign_in_again(request)
        return super().get(request, *args, **kwargs)

    def handle_no_permission(self) -> HttpResponse:
        # Not signed in (LoginRequiredMixin): prompt=none must not show the login page.
        if "none" in prompt_values(self.request):
            return self.authorize_silently(self.request)
        remember_login_requested(self.request)
        return super().handle_no_permission()

    def sign_in_again(self, request: HttpRequest) -> HttpResponse:
        """Send the signed-in user to the login page, then back to this request."""
        remember_login_requested(request)
        return redirect_to_login(
            without_login_prompt(request.get_full_path()),
            resolve_url(self.get_login_url()),
            self.get_redirect_field_name(),
        )

    def authorize_silently(self, request: HttpRequest) -> HttpResponse:
        """``prompt=none``: issue without any page, or redirect the reason to the client."""
        try:
            scopes, credentials = self.validate_authorization_request(request)
        except OAuthToolkitError as error:
            # An unverified client or redirect URI is shown, never redirected to.
            return self.error_response(error, application=None)
        application = get_application_model().objects.get(client_id=credentials["client_id"])
        if not request.user.is_authenticated or needs_fresh_sign_in(request):
            reason = "login_required"
        elif not has_prior_consent(request.user, application, scopes):
            reason = "consent_required"
        else:
            return self._issue(request, application, scopes, credentials)
        redirect_to = error_redirect(
            credentials["redirect_uri"],
            credentials["response_type"],
            reason,
            credentials.get("state"),
        )
        return self.redirect(redirect_to, application)

    def _issue(
        self, request: HttpRequest, application: Any, scopes: list[str], credentials: dict
    ) -> HttpResponse:
        # What DOT's get() adds to the credentials before it issues without a page.
        if isinstance(credentials.get("ui_locales"), list):
            credentials["ui_locales"] = " ".join(credentials["ui_locales"])
        resources = request.GET.getlist("resource")
        try:
            for resource in resources:
                if not is_valid_resource_uri(resource):
                    raise OAuthToolkitError(
                        error=CustomOAuth2Error(
                            error="invalid_target",
                            description=f"The resource {resource!r} is not an absolute URI.",
                            state=credentials.get("state"),
                        ),
                        redirect_uri=credentials["redirect_uri"],
                    )
            if resources:
                credentials["resource"] = resources
            uri, _headers, _body, _status = self.create_authorization_response(
                request=request, scopes=" ".join(scopes), credentials=credentials, allow=True
            )
        except OAuthToolkitError as error:
            return self.error_response(error, application)
        return self.redirect(uri, application)

    def create_authorization_response(
        self, request: HttpRequest, scopes: str, credentials: dict, allow: bool
    ) -> tuple:
        # Every issuing path (consent form, pre-approved, silent) passes here.
        credentials[REQUEST_ATTRIBUTE] = session_auth_time(request)
        return super().create_authorization_response(request, scopes, credentials, allow)
