"""The impact report of a dry run (``?dry_run=true``), for the schema and the response."""

from __future__ import annotations

from rest_framework import serializers

from oidc_claims.preview.impact_diff import DESTINATIONS


def _status(**kwargs: object) -> serializers.CharField:
    # Text rather than a choice field: one choice set under the names "old" and "new" would
    # be two enums of the schema.
    return serializers.CharField(help_text="issued, not_issued or refused.", **kwargs)


class RowChangeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["claim", "app_profile"])
    action = serializers.ChoiceField(choices=["created", "updated", "deleted"])
    key = serializers.CharField(help_text="The claim name, or the application's client id.")
    fields = serializers.ListField(child=serializers.CharField())


class DestinationSummarySerializer(serializers.Serializer):
    destination = serializers.ChoiceField(choices=DESTINATIONS)
    users = serializers.IntegerField(help_text="Users compared.")
    changed_users = serializers.IntegerField(
        help_text="Users whose token changes in at least one application."
    )
    changed_applications = serializers.IntegerField()


class UsersSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="Active users.")
    compared = serializers.IntegerField()
    sample = serializers.BooleanField(help_text="true: more than max_users; a sample of them.")
    max_users = serializers.IntegerField()


class ClaimTallySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["added", "removed", "changed", "header"])
    claim = serializers.CharField(help_text="The claim, or for kind header the header member.")
    users = serializers.IntegerField()
    examples = serializers.ListField(child=serializers.CharField())


class StatusTallySerializer(serializers.Serializer):
    old = _status()
    new = _status()
    users = serializers.IntegerField()
    examples = serializers.ListField(child=serializers.CharField())


class DestinationImpactSerializer(serializers.Serializer):
    destination = serializers.ChoiceField(choices=DESTINATIONS)
    users = serializers.IntegerField()
    changed_users = serializers.IntegerField()
    claims = ClaimTallySerializer(many=True)
    status_changes = StatusTallySerializer(many=True)


class ValueChangeSerializer(serializers.Serializer):
    old = serializers.JSONField()
    new = serializers.JSONField()


class StatusChangeSerializer(serializers.Serializer):
    old = _status()
    new = _status()
    old_note = serializers.CharField(allow_null=True)
    new_note = serializers.CharField(allow_null=True)


class TokenDiffSerializer(serializers.Serializer):
    added = serializers.DictField(child=serializers.JSONField())
    removed = serializers.DictField(child=serializers.JSONField())
    changed = serializers.DictField(child=ValueChangeSerializer())
    header = serializers.DictField(
        child=ValueChangeSerializer(), help_text="Changed JOSE header members (alg)."
    )
    status = StatusChangeSerializer(allow_null=True)


class UserDiffSerializer(serializers.Serializer):
    user = serializers.CharField()
    destinations = serializers.DictField(child=TokenDiffSerializer())


class InputsSerializer(serializers.Serializer):
    grant_type = serializers.CharField()
    scopes = serializers.ListField(child=serializers.CharField())


class ApplicationImpactSerializer(serializers.Serializer):
    client_id = serializers.CharField()
    name = serializers.CharField(allow_blank=True)
    inputs = InputsSerializer()
    users = serializers.IntegerField()
    destinations = DestinationImpactSerializer(many=True)
    user_diffs = UserDiffSerializer(many=True)


class ImpactReportSerializer(serializers.Serializer):
    """How a change would alter tokens; nothing was saved."""

    changes = RowChangeSerializer(many=True)
    summary = DestinationSummarySerializer(many=True)
    users = UsersSerializer()
    partial = serializers.BooleanField(help_text="true: the time limit stopped the comparison.")
    time_limit_seconds = serializers.FloatField()
    inputs_note = serializers.CharField()
    applications = ApplicationImpactSerializer(many=True)
