"""``/claim-tests/``: claim tests, and ``/claim-tests/run/``, a run's report as JSON."""

from __future__ import annotations

from typing import Any

from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from oidc_claims.api.permissions import HasRequiredPermissions, ModelPermissions
from oidc_claims.api.schema import extend_schema
from oidc_claims.api.serializers.claim_tests import ClaimTestRunSerializer, ClaimTestSerializer
from oidc_claims.api.views.base import ClaimsAPIMixin
from oidc_claims.models.claim_tests import ClaimTest
from oidc_claims.preview.claim_tests import run_claim_tests

# A run shows token payloads, as the preview does.
RUN_PERMISSIONS = ["oidc_claims.view_claimtest", "oidc_claims.preview_token"]


class ClaimTestViewSet(ClaimsAPIMixin, viewsets.ModelViewSet):
    """Claim tests: what a user's tokens from an application must carry."""

    serializer_class = ClaimTestSerializer
    queryset = ClaimTest.objects.select_related("user", "application")
    lookup_value_regex = r"[0-9]{1,18}"
    required_permissions = RUN_PERMISSIONS

    def get_permissions(self) -> list[Any]:
        extra = HasRequiredPermissions if self.action == "run" else ModelPermissions
        return [permission() for permission in (*self.permission_classes, extra)]

    @property
    def read_only_api(self) -> bool:
        # A run changes nothing: the read scope suffices (see TokenHasClaimsScope).
        return getattr(self, "action", None) == "run"

    @extend_schema(request=ClaimTestRunSerializer, responses={200: dict})
    @action(detail=False, methods=["post"])
    def run(self, request: Request) -> Response:
        """Run the tests (the ids given, else every enabled test): ``{"ok", "total", "passed",
        "failed", "errors", "results": [...]}`` with each expectation's actual value."""
        params = ClaimTestRunSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        ids = params.validated_data.get("ids")
        tests = None
        if ids is not None:
            tests = self.get_queryset().filter(pk__in=ids)
        report = run_claim_tests(tests, request=request._request)
        return Response(report.as_dict())
