"""``/revisions/``: the history of the claim configuration, each revision's diff, rollback."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response

from oidc_claims.api.permissions import HasRequiredPermissions, ModelPermissions
from oidc_claims.api.schema import extend_schema, extend_schema_view
from oidc_claims.api.serializers.claim_tests import ConfirmFailingTestsSerializer
from oidc_claims.api.serializers.revisions import (
    RevisionDetailSerializer,
    RevisionFilterSerializer,
    RevisionSerializer,
    RollbackRequestSerializer,
    RollbackResultSerializer,
)
from oidc_claims.api.views.base import ClaimsAPIMixin
from oidc_claims.api.views.claim_test_gate import ClaimTestGateMixin
from oidc_claims.api.views.dry_run import dry_run_impact, may_see_impact
from oidc_claims.models.revisions import Revision
from oidc_claims.revisions.rollback import RollbackRefused, rollback_to
from oidc_claims.transfer.importer import replace_configuration

# What a rollback may change: every claim definition and app profile.
ROLLBACK_PERMISSIONS = ["oidc_claims.change_claimdefinition", "oidc_claims.change_appprofile"]


class RevisionPagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 500


@extend_schema_view(list=extend_schema(parameters=[RevisionFilterSerializer]))
class RevisionViewSet(ClaimTestGateMixin, ClaimsAPIMixin, viewsets.ReadOnlyModelViewSet):
    """Revisions of the claim configuration, newest first. Reading needs the view revision
    permission; a rollback needs to change claim definitions and app profiles."""

    queryset = Revision.objects.select_related("user").order_by("-pk")
    pagination_class = RevisionPagination
    permission_classes = (*ClaimsAPIMixin.permission_classes, ModelPermissions)
    required_permissions = ROLLBACK_PERMISSIONS
    # Within a 64-bit primary key: a longer id is a 404, not an overflow in the driver.
    lookup_value_regex = r"[0-9]{1,18}"

    def get_permissions(self) -> list[Any]:
        if self.action == "rollback":
            return [
                permission()
                for permission in (*ClaimsAPIMixin.permission_classes, HasRequiredPermissions)
            ]
        return super().get_permissions()

    def get_serializer_class(self) -> Any:
        return RevisionSerializer if self.action == "list" else RevisionDetailSerializer

    def get_queryset(self) -> QuerySet[Revision]:
        queryset = super().get_queryset()
        if self.action != "list":
            return queryset
        # The snapshots are the bulk of a revision and the list does not show them.
        queryset = queryset.defer("snapshot")
        filters = RevisionFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        params = filters.validated_data
        if params.get("channel"):
            queryset = queryset.filter(channel=params["channel"])
        if params.get("claim"):
            queryset = queryset.filter(touched__contains=f"\n{params['claim']}\n")
        return queryset

    @extend_schema(
        request=RollbackRequestSerializer,
        # 400: {"detail", "errors": [...]} for a refused rollback,
        # DRF's field errors for a malformed body.
        # 409: the claim tests it would break ({"code": "claim_tests_failed", ...}).
        responses={200: RollbackResultSerializer, 400: dict, 409: dict},
        parameters=[ConfirmFailingTestsSerializer],
        description=(
            "Restore the revision's configuration (definitions and profiles it does not list "
            "are deleted), recorded as a new revision of channel rollback. Refused with every "
            "reason, changing nothing, when the result would be invalid. A dry run by a user "
            "with the 'Can preview tokens' permission reports the impact on tokens too. A "
            "rollback that makes passing claim tests fail answers 409, as any other write, "
            "and is saved when repeated with ?confirm_failing_tests=true (never when "
            "CLAIM_TESTS_REQUIRED is on)."
        ),
    )
    @action(detail=True, methods=["post"])
    def rollback(self, request: Request, pk: str | None = None) -> Response:
        target = self.get_object()
        params = RollbackRequestSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        comment = params.validated_data["comment"] or self.change.comment
        try:
            if not params.validated_data["dry_run"]:  # the body says; ?dry_run does not
                self.check_claim_tests(lambda: rollback_to(target, comment=comment))
            result = rollback_to(
                target, comment=comment, dry_run=params.validated_data["dry_run"]
            )
        except RollbackRefused as exc:
            return Response(
                {
                    "detail": f"Rollback to revision {target.pk} refused; nothing was changed.",
                    "errors": exc.errors,
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        impact = None
        if result.dry_run and may_see_impact(request):
            # Whose tokens the rollback would change: its snapshot applied and rolled back.
            impact = dry_run_impact(
                request, lambda: replace_configuration(target.snapshot)
            ).as_dict()
        if result.dry_run:
            detail = f"Dry run: rolling back to revision {target.pk} would make these changes."
        elif result.revision is None:
            detail = f"The configuration already is that of revision {target.pk}; nothing changed."
        else:
            detail = f"Rolled back to revision {target.pk} as revision {result.revision.pk}."
        data = {
            "dry_run": result.dry_run,
            "restored": target.pk,
            "revision": result.revision,
            "detail": detail,
            "report": {**result.report.as_dict(), "impact": impact},
        }
        return Response(RollbackResultSerializer(data).data)
