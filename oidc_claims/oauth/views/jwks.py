"""The JWKS endpoint: every published signing key, with ``kid``, ``alg`` and ``use``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.decorators import method_decorator
from oauth2_provider.compat import login_not_required
from oauth2_provider.views import JwksInfoView

from oidc_claims.models.key_rotation import jwks_max_age
from oidc_claims.models.key_store import published_keys


@method_decorator(login_not_required, name="dispatch")
class ClaimsJwksInfoView(JwksInfoView):
    """DOT's ``jwks_uri``, publishing the keys of every state but ``retired`` (DOT's own
    publishes its RSA keys only, all as RS256).

    ``Cache-Control: max-age`` is DOT's ``OIDC_JWKS_MAX_AGE_SECONDS``, which the rotation's
    publication period covers: a resource server that caches the document that long has
    a new key before any token names it.
    """

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = JsonResponse({"keys": published_keys()})
        response["Access-Control-Allow-Origin"] = "*"
        response["Cache-Control"] = f"public, max-age={jwks_max_age()}"
        return response
