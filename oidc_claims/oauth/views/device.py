"""The device authorization endpoint (RFC 8628 section 3.1): DOT's, working with oauthlib 3.3+.

oauthlib 3.3 added the resolved ``scope`` to the endpoint's response, which DOT 3.4's
``DeviceCodeResponse`` does not accept: every successful request was a ``TypeError`` (a 500).
Without DOT's ``OAUTH_DEVICE_VERIFICATION_URI`` setting the required ``verification_uri``
was ``null``; it defaults to DOT's user-code page on this server.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.compat import login_not_required
from oauth2_provider.models import DeviceCodeResponse, DeviceRequest, create_device_grant
from oauth2_provider.views import DeviceAuthorizationView

from oidc_claims.oauth.views.malformed import RefuseMalformedMixin

_RESPONSE_FIELDS = {field.name for field in dataclasses.fields(DeviceCodeResponse)}


@method_decorator(csrf_exempt, name="dispatch")
@method_decorator(login_not_required, name="dispatch")
class ClaimsDeviceAuthorizationView(RefuseMalformedMixin, DeviceAuthorizationView):
    """Stores the device grant with the scope oauthlib resolved (requested or default)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        headers, body, status = self.create_device_authorization_response(request)
        if status != 200:
            response = JsonResponse(json.loads(body), status=status, headers=headers)
            response["Cache-Control"] = "no-store"
            return response
        # oauthlib refuses a request without client_id in the form body (RFC 8628 3.1).
        device_request = DeviceRequest(
            client_id=request.POST["client_id"], scope=body.get("scope", "")
        )
        create_device_grant(
            device_request,
            DeviceCodeResponse(**{k: v for k, v in body.items() if k in _RESPONSE_FIELDS}),
        )
        if not body.get("verification_uri"):
            body["verification_uri"] = request.build_absolute_uri(reverse("oauth2_provider:device"))
        response = JsonResponse(body, status=status, headers=headers)
        response["Cache-Control"] = "no-store"
        return response
