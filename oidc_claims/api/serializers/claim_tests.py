"""Claim tests over the API: users by username, applications by client id, checked by the model."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from oauth2_provider.models import get_application_model
from rest_framework import serializers

from oidc_claims.api.errors import as_drf_error
from oidc_claims.api.serializers.fields import LookupField, TextField, with_defaults_on_replace
from oidc_claims.models.claim_tests import EXPECTATION_EXAMPLE, ClaimTest

# Most tests one run request may name.
MAX_RUN_IDS = 500


class ClaimTestSerializer(serializers.ModelSerializer):
    """A claim test. ``full_clean()`` validates every write, as in the admin."""

    name = TextField(max_length=200, help_text="A unique name, shown in reports.")
    application = LookupField(
        slug_field="client_id",
        queryset=get_application_model().objects.all(),
        allow_null=True,  # a deleted application reads as null; writing null is refused
        help_text="The client id of the application the tokens are issued to.",
    )
    user = LookupField(
        slug_field=get_user_model().USERNAME_FIELD,
        queryset=get_user_model().objects.all(),
        required=False,
        allow_null=True,
        help_text="The username; required for every grant except client_credentials.",
    )
    scopes = serializers.ListField(
        child=TextField(max_length=255), required=False, help_text='e.g. ["openid", "email"]'
    )
    claims = serializers.JSONField(
        source="claims_parameter",
        required=False,
        allow_null=True,
        help_text='The OIDC claims request parameter, e.g. {"id_token": {"email": null}}.',
    )
    expectations = serializers.JSONField(
        help_text=f"A list of {{destination, claim, operator, value}}, e.g. {EXPECTATION_EXAMPLE}"
    )

    class Meta:
        model = ClaimTest
        fields = [
            "id",
            "name",
            "description",
            "enabled",
            "application",
            "user",
            "grant_type",
            "scopes",
            "claims",
            "expectations",
            "created",
            "updated",
        ]
        read_only_fields = ["id", "created", "updated"]
        validators: list[Any] = []

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = with_defaults_on_replace(self, attrs)
        candidate = copy.copy(self.instance) if self.instance is not None else ClaimTest()
        for name, value in attrs.items():
            setattr(candidate, name, value)
        try:
            candidate.full_clean()
        except DjangoValidationError as exc:
            raise _api_names(as_drf_error(exc)) from exc
        return attrs


def _api_names(error: serializers.ValidationError) -> serializers.ValidationError:
    # The model calls it claims_parameter; the API (and the export) call it claims.
    detail = error.detail
    if isinstance(detail, dict) and "claims_parameter" in detail:
        detail["claims"] = detail.pop("claims_parameter")
    return error


class ClaimTestRunSerializer(serializers.Serializer):
    """Which tests to run: the ids given, or every enabled test."""

    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        max_length=MAX_RUN_IDS,
        help_text="Ids of the tests to run, disabled ones included; omitted: every enabled test.",
    )

    def validate_ids(self, ids: list[int]) -> list[int]:
        found = set(ClaimTest.objects.filter(pk__in=ids).values_list("pk", flat=True))
        missing = [pk for pk in dict.fromkeys(ids) if pk not in found]
        if missing:
            raise serializers.ValidationError(
                f"No claim test has id {', '.join(map(str, missing))}; "
                "GET /claim-tests/ lists them."
            )
        return ids


class ConfirmFailingTestsSerializer(serializers.Serializer):
    """The query parameter that saves a change although it makes claim tests fail."""

    confirm_failing_tests = serializers.BooleanField(
        required=False,
        default=False,
        help_text="true: save the change even though it makes passing claim tests fail "
        "(refused anyway when OIDC_CLAIMS['CLAIM_TESTS_REQUIRED'] is on).",
    )
