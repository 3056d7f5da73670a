"""``/claims/``: list, create, retrieve, replace, update and delete claim definitions."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from oauth2_provider.models import get_application_model
from rest_framework import serializers, viewsets

from oidc_claims.api.permissions import ModelPermissions
from oidc_claims.api.schema import extend_schema, extend_schema_view
from oidc_claims.api.serializers.claims import ClaimDefinitionSerializer, ClaimFilterSerializer
from oidc_claims.api.views.base import ClaimsAPIMixin
from oidc_claims.api.views.claim_test_gate import ClaimTestGateMixin, gated_schemas
from oidc_claims.api.views.dry_run import ImpactDryRunMixin, dry_run_schema
from oidc_claims.models import ClaimDefinition
from oidc_claims.models.write_lock import lock_configuration


@extend_schema_view(
    list=extend_schema(parameters=[ClaimFilterSerializer]),
    **dry_run_schema(
        ClaimDefinitionSerializer,
        {"create": 201, "update": 200, "partial_update": 200, "destroy": 204},
    ),
)
@extend_schema_view(**gated_schemas("create", "update", "partial_update", "destroy"))
class ClaimDefinitionViewSet(
    ImpactDryRunMixin, ClaimTestGateMixin, ClaimsAPIMixin, viewsets.ModelViewSet
):
    """Claim definitions. Writes are validated exactly as the admin validates them; with
    ``?dry_run=true`` nothing is saved and the answer is the change's impact on tokens.
    Other writes run the claim tests first (409 when they would break passing tests)."""

    serializer_class = ClaimDefinitionSerializer
    permission_classes = (*ClaimsAPIMixin.permission_classes, ModelPermissions)
    queryset = ClaimDefinition.objects.prefetch_related("applications")
    # At most 18 digits: within a 64-bit primary key, so an absurd id is a 404 (the URL does
    # not match) rather than an integer overflow in the database driver.
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self) -> QuerySet[ClaimDefinition]:
        queryset = super().get_queryset()
        if self.action != "list":
            return queryset
        filters = ClaimFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return self._filter(queryset, filters.validated_data)

    def _filter(self, queryset: QuerySet, params: dict[str, Any]) -> QuerySet:
        if params.get("destination"):
            queryset = queryset.filter(**{f"include_in_{params['destination']}": True})
        if params.get("enabled") is not None:
            queryset = queryset.filter(enabled=params["enabled"])
        if "application" in params:
            application = (
                get_application_model().objects.filter(client_id=params["application"]).first()
            )
            if application is None:
                raise serializers.ValidationError(
                    {"application": [f"No application has client id {params['application']!r}."]}
                )
            # No application selected means every application.
            queryset = (
                queryset.annotate(selected=Count("applications"))
                .filter(Q(selected=0) | Q(applications=application))
                .distinct()
            )
        return queryset

    def perform_create(self, serializer: Any) -> None:
        self._save(serializer)

    def perform_update(self, serializer: Any) -> None:
        self._save(serializer)

    def _save(self, serializer: Any) -> None:
        # full_clean() has checked the constraints; a concurrent write can still violate
        # one between check and save, which is a conflict to report, not a server error.
        try:
            with transaction.atomic():
                lock_configuration()  # concurrent writers wait (applications.set() races)
                self.gated_save(serializer)
                serializer.save()
        except IntegrityError as exc:
            raise serializers.ValidationError(
                {"non_field_errors": [f"The change conflicts with another claim: {exc}"]}
            ) from exc

    def perform_destroy(self, instance: ClaimDefinition) -> None:
        with transaction.atomic():
            lock_configuration()
            self.gated_delete(instance)
            instance.delete()
