"""Claim definitions over the API, validated by the model exactly as in the admin."""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from oauth2_provider.models import get_application_model
from rest_framework import serializers

from oidc_claims.api.errors import as_drf_error
from oidc_claims.api.serializers.fields import LookupField, TextField, with_defaults_on_replace
from oidc_claims.engine.resolve import Destination
from oidc_claims.models import ClaimDefinition
from oidc_claims.models.limits import MAX_APPLICATIONS_PER_CLAIM, too_many_problem


class ClaimDefinitionSerializer(serializers.ModelSerializer):
    """A claim definition; applications by client id. ``full_clean()`` validates every write."""

    # Declared rather than generated: DRF would derive uniqueness validators from the
    # conditional constraints; full_clean() reports those with clearer messages.
    name = TextField(
        max_length=255, help_text="The claim name as it appears in tokens, e.g. 'groups'."
    )
    value = TextField(
        help_text="An expression such as user.email, or for a groups claim the filter value.",
    )
    scopes = serializers.ListField(
        child=TextField(max_length=255),
        required=False,
        help_text="Scopes that release the claim (any one of them); empty means any scope.",
    )
    applications = LookupField(
        many=True,
        required=False,
        slug_field="client_id",
        queryset=get_application_model().objects.all(),
        help_text="Client ids of the applications that receive the claim; empty means all.",
    )

    class Meta:
        model = ClaimDefinition
        fields = ["id", *ClaimDefinition.EDITABLE_FIELDS, "standard", "created", "updated"]
        read_only_fields = ["id", "standard", "created", "updated"]
        validators: list[Any] = []

    def validate_applications(self, applications: list[Any]) -> list[Any]:
        problem = too_many_problem("applications", len(applications), MAX_APPLICATIONS_PER_CLAIM)
        if problem is not None:
            raise serializers.ValidationError(problem, code="too_many_applications")
        return applications

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = with_defaults_on_replace(self, attrs)
        # Validate a copy: a refused partial update must not leave the instance changed.
        candidate = copy.copy(self.instance) if self.instance is not None else ClaimDefinition()
        for name, value in attrs.items():
            if name != "applications":
                setattr(candidate, name, value)
        try:
            candidate.full_clean()
        except DjangoValidationError as exc:
            raise as_drf_error(exc) from exc
        return attrs


class ClaimFilterSerializer(serializers.Serializer):
    """Query parameters of the claim list; all optional, combined with AND."""

    destination = serializers.ChoiceField(
        choices=Destination.choices, required=False, help_text="Only claims going there."
    )
    enabled = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="true or false."
    )
    application = serializers.CharField(
        required=False,
        help_text="A client id: claims that this application receives (selected for it, "
        "or for all applications).",
    )
