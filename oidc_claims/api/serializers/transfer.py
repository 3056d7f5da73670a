"""Import reports and the shape of Okta's claims, for the import endpoints and the schema."""

from __future__ import annotations

from rest_framework import serializers

from oidc_claims.api.serializers.impact import ImpactReportSerializer


class ChangeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["claim", "app_profile", "claim_test"])
    action = serializers.ChoiceField(choices=["create", "update", "unchanged", "delete"])
    key = serializers.CharField()
    fields = serializers.ListField(child=serializers.CharField())


class SkippedSerializer(serializers.Serializer):
    name = serializers.CharField()
    reason = serializers.CharField()


class ImportReportSerializer(serializers.Serializer):
    """What an import changed, or would change in a dry run, and what it left out."""

    dry_run = serializers.BooleanField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    deleted = serializers.IntegerField(help_text="Deleted by a replace (rollbacks); 0 for imports.")
    changes = ChangeSerializer(many=True)
    skipped = SkippedSerializer(many=True)
    impact = ImpactReportSerializer(
        allow_null=True,
        help_text="How the import would change tokens: in a dry run by a user with the "
        "'Can preview tokens' permission; null otherwise.",
    )


class DryRunSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField(
        required=False, default=False, help_text="true: report what would change, change nothing."
    )


class OktaClaimConditionsSerializer(serializers.Serializer):
    scopes = serializers.ListField(child=serializers.CharField(), required=False)


class OktaClaimSerializer(serializers.Serializer):
    """One claim as Okta's /api/v1/authorizationServers/{id}/claims returns it (for the schema;
    the importer reports rather than rejects claims that do not fit)."""

    id = serializers.CharField(required=False)
    name = serializers.CharField()
    status = serializers.ChoiceField(choices=["ACTIVE", "INACTIVE"], required=False)
    claimType = serializers.ChoiceField(choices=["RESOURCE", "IDENTITY"])  # noqa: N815
    valueType = serializers.ChoiceField(choices=["EXPRESSION", "GROUPS", "SYSTEM"])  # noqa: N815
    value = serializers.CharField()
    group_filter_type = serializers.ChoiceField(
        choices=["STARTS_WITH", "EQUALS", "CONTAINS", "REGEX"], required=False
    )
    alwaysIncludeInToken = serializers.BooleanField(required=False)  # noqa: N815
    conditions = OktaClaimConditionsSerializer(required=False)
    system = serializers.BooleanField(required=False)
