"""``?dry_run=true`` on the API's writes: the impact report of the change, which is not kept."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from oidc_claims.api.schema import extend_schema, one_of
from oidc_claims.api.serializers.impact import ImpactReportSerializer
from oidc_claims.api.serializers.transfer import DryRunSerializer
from oidc_claims.preview.impact import ImpactReport, impact_of

PREVIEW_PERMISSION = "oidc_claims.preview_token"
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def dry_run_requested(request: Request) -> bool:
    """The ``dry_run`` query parameter (a malformed one is a 400 naming it)."""
    params = DryRunSerializer(data=request.query_params)
    params.is_valid(raise_exception=True)
    return params.validated_data["dry_run"]


def may_see_impact(request: Request) -> bool:
    """The impact shows other users' claim values: as the token preview, it needs
    ``oidc_claims.preview_token``."""
    return request.user.has_perm(PREVIEW_PERMISSION)


def dry_run_impact(request: Request, apply: Callable[[], Any]) -> ImpactReport:
    """``apply()`` run inside a transaction that is rolled back, and what it did to tokens."""
    return impact_of(apply, request=request._request)


def dry_run_schema(serializer: Any, codes: dict[str, int], **descriptions: str) -> dict[str, Any]:
    """``extend_schema_view`` arguments for actions taking ``?dry_run=true``: the parameter,
    and 200 with the impact report beside the action's own success ``codes``."""
    schemas = {}
    for action, code in codes.items():
        if code == 200:
            name = f"{serializer.__name__.removesuffix('Serializer')}OrImpactReport"
            responses = {200: one_of(name, [serializer, ImpactReportSerializer])}
        else:
            responses = {code: serializer if code != 204 else None, 200: ImpactReportSerializer}
        schemas[action] = extend_schema(
            parameters=[DryRunSerializer],
            responses=responses,
            **({"description": descriptions[action]} if action in descriptions else {}),
        )
    return schemas


class ImpactDryRunMixin:
    """With ``?dry_run=true``, a write runs as usual (validation, permissions, 400s), inside
    a transaction that is rolled back; the answer is 200 with the impact report."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        if request.method not in WRITE_METHODS or not dry_run_requested(request):
            return
        if not may_see_impact(request):
            raise PermissionDenied(
                "A dry run shows how other users' tokens would change: it needs the "
                f"'Can preview tokens' permission ({PREVIEW_PERMISSION}) besides the one "
                "for the change."
            )
        # Every handler (create, update, destroy) is run as the change to preview.
        method = request.method.lower()
        setattr(self, method, self._previewing(getattr(self, method)))

    @staticmethod
    def _previewing(handler: Callable[..., Response]) -> Callable[..., Response]:
        def preview(request: Request, *args: Any, **kwargs: Any) -> Response:
            def apply() -> None:
                response = handler(request, *args, **kwargs)
                if response.status_code >= 400:
                    raise _Refused(response)

            try:
                report = dry_run_impact(request, apply)
            except _Refused as refused:
                return refused.response
            return Response(ImpactReportSerializer(report.as_dict()).data)

        return preview


class _Refused(Exception):
    """The change was answered with an error: that answer, and no impact to compute."""

    def __init__(self, response: Response) -> None:
        self.response = response
