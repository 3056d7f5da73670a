"""``/export/``, ``/import/`` and ``/import/okta/``: the claim configuration as files."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from oidc_claims.api.permissions import HasRequiredPermissions
from oidc_claims.api.schema import extend_schema
from oidc_claims.api.serializers.claim_tests import ConfirmFailingTestsSerializer
from oidc_claims.api.serializers.transfer import (
    DryRunSerializer,
    ImportReportSerializer,
    OktaClaimSerializer,
)
from oidc_claims.api.views.base import ClaimsAPIMixin
from oidc_claims.api.views.claim_test_gate import ClaimTestGateMixin
from oidc_claims.api.views.dry_run import dry_run_impact, may_see_impact
from oidc_claims.transfer.format import export_configuration
from oidc_claims.transfer.importer import ImportRejected, ImportReport, import_document
from oidc_claims.transfer.okta import import_okta_claims

CLAIM_WRITE = ["oidc_claims.add_claimdefinition", "oidc_claims.change_claimdefinition"]
TEST_WRITE = ["oidc_claims.add_claimtest", "oidc_claims.change_claimtest"]
PROFILE_WRITE = ["oidc_claims.add_appprofile", "oidc_claims.change_appprofile"]


def _dry_run(request: Request) -> bool:
    params = DryRunSerializer(data=request.query_params)
    params.is_valid(raise_exception=True)
    return params.validated_data["dry_run"]


class ExportView(ClaimsAPIMixin, APIView):
    """Every claim definition and app profile, in the format ``manage.py import_claims`` reads."""

    permission_classes = (*ClaimsAPIMixin.permission_classes, HasRequiredPermissions)
    required_permissions = ["oidc_claims.view_claimdefinition", "oidc_claims.view_appprofile"]

    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        # Claim tests name users: only for those who may see the tests.
        may_see_tests = request.user.has_perm("oidc_claims.view_claimtest")
        return Response(export_configuration(include_tests=may_see_tests))


class ImportView(ClaimTestGateMixin, ClaimsAPIMixin, APIView):
    """Apply an export: idempotent, all or nothing; 400 lists every error and changes nothing;
    409 when it would make passing claim tests fail, as any other write."""

    permission_classes = (*ClaimsAPIMixin.permission_classes, HasRequiredPermissions)
    required_permissions = CLAIM_WRITE + PROFILE_WRITE

    @extend_schema(
        request=dict,
        parameters=[DryRunSerializer, ConfirmFailingTestsSerializer],
        # 400: {"errors": [...]} for a refused file, DRF's {"dry_run": [...]} for the flag;
        # 409: the claim tests it would break.
        responses={200: ImportReportSerializer, 400: dict, 409: dict},
    )
    def post(self, request: Request) -> Response:
        dry_run = _dry_run(request)
        writes_tests = isinstance(request.data, dict) and request.data.get("claim_tests")
        if writes_tests and not request.user.has_perms(TEST_WRITE):
            raise PermissionDenied(
                "This file has claim_tests: importing them needs the add and change claim "
                "test permissions too (or leave the claim_tests section out)."
            )
        try:
            self.gated(lambda: import_document(request.data))
            report, impact = _import(
                request, dry_run, lambda dry: import_document(request.data, dry_run=dry)
            )
        except ImportRejected as exc:
            return Response({"errors": exc.errors}, status=status.HTTP_400_BAD_REQUEST)
        return Response(ImportReportSerializer({**report.as_dict(), "impact": impact}).data)


class OktaImportView(ClaimTestGateMixin, ClaimsAPIMixin, APIView):
    """Import Okta's authorization-server claims; unmappable claims are listed in ``skipped``;
    409 when they would make passing claim tests fail."""

    permission_classes = (*ClaimsAPIMixin.permission_classes, HasRequiredPermissions)
    required_permissions = CLAIM_WRITE

    @extend_schema(
        request=OktaClaimSerializer(many=True),
        parameters=[DryRunSerializer, ConfirmFailingTestsSerializer],
        responses={200: ImportReportSerializer, 409: dict},
    )
    def post(self, request: Request) -> Response:
        self.gated(lambda: import_okta_claims(request.data))
        report, impact = _import(
            request,
            _dry_run(request),
            lambda dry: import_okta_claims(request.data, dry_run=dry),
        )
        return Response(ImportReportSerializer({**report.as_dict(), "impact": impact}).data)


def _import(
    request: Request, dry_run: bool, run: Callable[[bool], ImportReport]
) -> tuple[ImportReport, dict[str, Any] | None]:
    """``run(dry_run)``; a dry run by a user who may preview tokens also reports the
    impact: the import is then applied inside a transaction that is rolled back."""
    if not (dry_run and may_see_impact(request)):
        return run(dry_run), None
    reports: list[ImportReport] = []
    impact = dry_run_impact(request, lambda: reports.append(run(False)))
    reports[0].dry_run = True
    return reports[0], impact.as_dict()
