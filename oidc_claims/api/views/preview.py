"""``/preview/``: what issuance would return for given inputs, as the admin preview shows it."""

from __future__ import annotations

from typing import Any

from oauthlib.oauth2.rfc6749.errors import OAuth2Error
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from oidc_claims.api.permissions import HasRequiredPermissions
from oidc_claims.api.schema import extend_schema
from oidc_claims.api.serializers.preview import PreviewRequestSerializer
from oidc_claims.api.views.base import ClaimsAPIMixin
from oidc_claims.preview.build import build_preview


class PreviewView(ClaimsAPIMixin, APIView):
    """Preview the tokens, userinfo and introspection for the inputs; nothing is signed or saved."""

    permission_classes = (*ClaimsAPIMixin.permission_classes, HasRequiredPermissions)
    required_permissions = ["oidc_claims.preview_token"]
    # POST carries the inputs but changes nothing: the read scope suffices.
    read_only_api = True

    @extend_schema(request=PreviewRequestSerializer, responses={200: dict})
    def post(self, request: Request) -> Response:
        inputs = PreviewRequestSerializer(data=request.data)
        inputs.is_valid(raise_exception=True)
        data: dict[str, Any] = inputs.validated_data
        try:
            result = build_preview(
                data["application"],
                data["grant_type"],
                data["user"],
                data["scopes"],
                data["claims"],
                data["nonce"] or None,
                request=request._request,
            )
        except OAuth2Error as exc:  # a malformed claims parameter
            raise serializers.ValidationError({"claims": [exc.description]}) from exc
        except ValueError as exc:
            raise serializers.ValidationError({"non_field_errors": [str(exc)]}) from exc
        return Response(result)
