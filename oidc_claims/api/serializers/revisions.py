"""Revisions, their diffs and rollbacks over the API."""

from __future__ import annotations

from rest_framework import serializers

from oidc_claims.api.schema import extend_schema_field
from oidc_claims.api.serializers.transfer import ImportReportSerializer
from oidc_claims.models.revisions import Revision
from oidc_claims.revisions.context import COMMENT_MAX_LENGTH, Channel, comment_problem
from oidc_claims.revisions.diff import summary


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.JSONField(allow_null=True, help_text="null when the item was added.")
    new = serializers.JSONField(allow_null=True, help_text="null when the item was removed.")


class ClaimChangeSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["added", "removed", "changed"])
    name = serializers.CharField()
    key = serializers.CharField(help_text="The claim's name and destinations, as imports match it.")
    fields = FieldChangeSerializer(many=True)


class ProfileChangeSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["added", "removed", "changed"])
    key = serializers.CharField(help_text="The application's client id.")
    fields = FieldChangeSerializer(many=True)


class DiffSerializer(serializers.Serializer):
    claims = ClaimChangeSerializer(many=True)
    app_profiles = ProfileChangeSerializer(many=True)


class SummarySerializer(serializers.Serializer):
    claims_added = serializers.IntegerField()
    claims_removed = serializers.IntegerField()
    claims_changed = serializers.IntegerField()
    app_profiles_added = serializers.IntegerField()
    app_profiles_removed = serializers.IntegerField()
    app_profiles_changed = serializers.IntegerField()


class RevisionSerializer(serializers.ModelSerializer):
    """A revision as listed: who, when, how, and how much changed."""

    channel = serializers.ChoiceField(choices=Channel.choices)
    user = serializers.SlugRelatedField(
        slug_field="username", read_only=True, help_text="null when made by no user or deleted."
    )
    summary = serializers.SerializerMethodField()

    class Meta:
        model = Revision
        fields = [
            "id",
            "created",
            "channel",
            "author",
            "user",
            "client_id",
            "comment",
            "restores",
            "summary",
        ]
        read_only_fields = fields

    @extend_schema_field(SummarySerializer)
    def get_summary(self, revision: Revision) -> dict[str, int]:
        return summary(revision.diff)


class RevisionDetailSerializer(RevisionSerializer):
    """A revision with its diff and the whole configuration it recorded (the export format)."""

    diff = DiffSerializer(read_only=True)
    snapshot = serializers.JSONField(read_only=True)

    class Meta(RevisionSerializer.Meta):
        fields = [*RevisionSerializer.Meta.fields, "diff", "snapshot"]
        read_only_fields = fields


class RevisionFilterSerializer(serializers.Serializer):
    """Query parameters of the revision list; all optional."""

    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    claim = serializers.CharField(
        required=False,
        max_length=255,
        help_text="A claim name or a client id: only revisions that changed it.",
    )

    def validate_claim(self, value: str) -> str:
        if "\x00" in value or "\n" in value:
            raise serializers.ValidationError("A claim name has no NUL or newline characters.")
        return value


class RollbackRequestSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        trim_whitespace=True,
        max_length=COMMENT_MAX_LENGTH,
        help_text="Why; kept with the new revision (or send the X-Change-Comment header).",
    )
    dry_run = serializers.BooleanField(
        required=False, default=False, help_text="true: report what would change, change nothing."
    )

    def validate_comment(self, value: str) -> str:
        problem = comment_problem(value)
        if problem is not None:
            raise serializers.ValidationError(problem)
        return value


class RollbackResultSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    restored = serializers.IntegerField(help_text="The id of the revision restored.")
    revision = RevisionSerializer(
        allow_null=True,
        help_text="The new revision recording the rollback; null in a dry run, or when the "
        "configuration already was the restored one.",
    )
    detail = serializers.CharField()
    report = ImportReportSerializer()
