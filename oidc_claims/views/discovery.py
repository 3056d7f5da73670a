"""OpenID Provider metadata: DOT's document plus ``claims_parameter_supported``, and the PKCE
methods this server accepts."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.decorators import method_decorator
from oauth2_provider.compat import login_not_required
from oauth2_provider.views import ConnectDiscoveryInfoView

from .. import pkce


@method_decorator(login_not_required, name="dispatch")
class ClaimsDiscoveryInfoView(ConnectDiscoveryInfoView):
    """Announces the ``claims`` request parameter (OpenID Connect Discovery 1.0, section 3)."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        if response.status_code != 200:
            return response
        data = json.loads(response.content)
        data["claims_parameter_supported"] = True
        data["code_challenge_methods_supported"] = list(pkce.allowed_methods())
        extended = JsonResponse(data)
        for header, value in response.items():
            if header.lower() not in ("content-type", "content-length"):
                extended[header] = value
        return extended
