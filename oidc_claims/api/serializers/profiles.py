"""App profiles over the API: the JSON that expressions read as ``app.profile.*``."""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from oidc_claims.api.errors import as_drf_error
from oidc_claims.api.serializers.fields import with_defaults_on_replace
from oidc_claims.models import AppProfile


class AppProfileSerializer(serializers.ModelSerializer):
    """An application's profile, addressed by the application's client id."""

    client_id = serializers.CharField(source="application.client_id", read_only=True)
    data = serializers.DictField(
        required=False,
        help_text='A JSON object read by expressions as app.profile.<key>; "groups_allow_list" '
        "(a list of group names) limits the groups that groups claims release to this app.",
    )

    class Meta:
        model = AppProfile
        fields = [
            "client_id",
            "data",
            "access_token_audience",
            "allowed_resources",
            "resource_server_audiences",
            "id_token_signed_response_alg",
            "created",
            "updated",
        ]
        read_only_fields = ["created", "updated"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = with_defaults_on_replace(self, attrs)
        candidate = copy.copy(self.instance)
        for name, value in attrs.items():
            setattr(candidate, name, value)
        try:
            candidate.full_clean(validate_unique=False)
        except DjangoValidationError as exc:
            raise as_drf_error(exc) from exc
        return attrs
