"""``/app-profiles/{client_id}/``: read and write an application's profile."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import Http404
from oauth2_provider.models import get_application_model
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from oidc_claims.api.permissions import ModelPermissions
from oidc_claims.api.schema import extend_schema_view
from oidc_claims.api.serializers.profiles import AppProfileSerializer
from oidc_claims.api.views.base import ClaimsAPIMixin
from oidc_claims.api.views.claim_test_gate import ClaimTestGateMixin, gated_schemas
from oidc_claims.api.views.dry_run import ImpactDryRunMixin, dry_run_schema
from oidc_claims.models import AppProfile
from oidc_claims.models.write_lock import lock_configuration


@extend_schema_view(
    **dry_run_schema(
        AppProfileSerializer,
        {"update": 200, "partial_update": 200, "destroy": 204},
        update="Create or replace the profile (creating needs the add permission too).",
    )
)
@extend_schema_view(**gated_schemas("update", "partial_update", "destroy"))
class AppProfileViewSet(
    ImpactDryRunMixin,
    ClaimTestGateMixin,
    ClaimsAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Application profiles, addressed by the application's client id; with
    ``?dry_run=true`` a write saves nothing and answers with its impact on tokens."""

    serializer_class = AppProfileSerializer
    permission_classes = (*ClaimsAPIMixin.permission_classes, ModelPermissions)
    queryset = AppProfile.objects.select_related("application").order_by("application__client_id")
    lookup_field = "client_id"
    lookup_url_kwarg = "client_id"
    lookup_value_regex = r"[^/]+"

    def get_object(self) -> AppProfile:
        client_id = self.kwargs["client_id"]
        # PostgreSQL refuses NUL in text: no application can have such a client id.
        application = (
            None
            if "\x00" in client_id
            else get_application_model().objects.filter(client_id=client_id).first()
        )
        if application is None:
            raise Http404(f"No application has client id {client_id!r}.")
        profile = self.get_queryset().filter(application=application).first()
        if profile is None:
            if self.action != "update" or self.request.method != "PUT":
                raise Http404(f"Application {client_id!r} has no profile; PUT one to create it.")
            profile = AppProfile(application=application)
        self.check_object_permissions(self.request, profile)
        return profile

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # Concurrent PUTs creating one profile: the first creates it, the others wait and
        # then replace it, instead of failing on the one-profile-per-application constraint.
        with transaction.atomic():
            lock_configuration()
            profile = self.get_object()
            creating = profile.pk is None
            if creating and not request.user.has_perm("oidc_claims.add_appprofile"):
                raise PermissionDenied("Creating a profile needs the add app profile permission.")
            serializer = self.get_serializer(
                profile, data=request.data, partial=kwargs.get("partial")
            )
            serializer.is_valid(raise_exception=True)
            self.gated_save(serializer)
            serializer.save()
        code = status.HTTP_201_CREATED if creating else status.HTTP_200_OK
        return Response(serializer.data, status=code)

    def perform_destroy(self, instance: AppProfile) -> None:
        with transaction.atomic():
            lock_configuration()
            self.gated_delete(instance)
            instance.delete()
