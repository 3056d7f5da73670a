"""The inputs of a token preview, as the admin's preview form takes them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from oauth2_provider.models import get_application_model
from rest_framework import serializers

from oidc_claims.api.serializers.fields import LookupField
from oidc_claims.models.claim_tests import GRANT_TYPES


class PreviewRequestSerializer(serializers.Serializer):
    """What to preview: the application, grant, user, scopes and request parameters."""

    application = LookupField(
        slug_field="client_id",
        queryset=get_application_model().objects.all(),
        help_text="The client id of the application.",
    )
    grant_type = serializers.ChoiceField(choices=[value for value, _label in GRANT_TYPES])
    user = LookupField(
        slug_field=get_user_model().USERNAME_FIELD,
        queryset=get_user_model().objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="The username; required for every grant except client_credentials.",
    )
    scopes = serializers.ListField(
        child=serializers.CharField(max_length=255), required=False, default=list
    )
    claims = serializers.JSONField(
        required=False,
        allow_null=True,
        default=None,
        help_text='The OIDC claims request parameter, e.g. {"id_token": {"email": null}}.',
    )
    nonce = serializers.CharField(required=False, allow_blank=True, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["grant_type"] != "client_credentials" and attrs["user"] is None:
            raise serializers.ValidationError(
                {"user": [f"The {attrs['grant_type']} grant issues tokens to a user; give one."]}
            )
        return attrs
