"""Claim tests run before an API write: 409 with the tests it would break, unless confirmed.

A write that makes passing claim tests fail answers ``409 Conflict``::

    {"code": "claim_tests_failed" | "claim_tests_required", "detail": "...",
     "claim_tests": {"required": bool, "newly_failing": [result, ...],
                     "already_failing": [result, ...]}}

Repeating it with ``?confirm_failing_tests=true`` saves it, unless
``OIDC_CLAIMS["CLAIM_TESTS_REQUIRED"]`` is on (``claim_tests_required``: refused, nothing saved).
Tests that already fail before the change are listed and never block it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rest_framework import status
from rest_framework.response import Response

from oidc_claims.api.schema import extend_schema
from oidc_claims.api.serializers.claim_tests import ConfirmFailingTestsSerializer
from oidc_claims.api.views.dry_run import dry_run_requested
from oidc_claims.preview.claim_test_gate import (
    GateOutcome,
    check_change,
    preserving_instance,
    tests_required,
)

CONFIRM_PARAMETER = "confirm_failing_tests"


class ClaimTestsFailed(Exception):
    """The change breaks claim tests and was not (or may not be) confirmed."""

    def __init__(self, outcome: GateOutcome, required: bool) -> None:
        self.outcome = outcome
        self.required = required
        super().__init__("The change makes claim tests fail.")

    def body(self) -> dict[str, Any]:
        count = len(self.outcome.newly_failing())
        if self.required:
            code = "claim_tests_required"
            detail = (
                f"Refused: this change makes {count} passing claim test(s) fail, and "
                "OIDC_CLAIMS['CLAIM_TESTS_REQUIRED'] is on. Nothing was saved; change the "
                "request (or the tests) so that they pass."
            )
        else:
            code = "claim_tests_failed"
            detail = (
                f"This change makes {count} passing claim test(s) fail; nothing was saved. "
                f"Repeat the request with ?{CONFIRM_PARAMETER}=true to save it anyway."
            )
        return {"code": code, "detail": detail, "claim_tests": self.outcome.as_dict()}


def gated_schemas(*actions: str) -> dict[str, Any]:
    """``extend_schema_view`` arguments for gated actions: the confirmation parameter."""
    return {action: extend_schema(parameters=[ConfirmFailingTestsSerializer]) for action in actions}


class ClaimTestGateMixin:
    """Gives a view ``gated(apply_change, instance)``: raise ClaimTestsFailed when the change
    would break passing claim tests and is not confirmed (or may not be)."""

    def gated(self, apply_change: Callable[[], Any], instance: Any = None) -> None:
        if dry_run_requested(self.request):
            # Nothing is saved; the dry run reports the change's impact instead.
            ConfirmFailingTestsSerializer(data=self.request.query_params).is_valid(
                raise_exception=True
            )
            return
        self.check_claim_tests(apply_change, instance)

    def check_claim_tests(self, apply_change: Callable[[], Any], instance: Any = None) -> None:
        """The gate itself, for a write that is not a dry run (whatever its query says)."""
        params = ConfirmFailingTestsSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        outcome = check_change(
            preserving_instance(instance, apply_change), request=self.request._request
        )
        if outcome is None or not outcome.breaks_tests:
            return
        required = tests_required()
        if required or not params.validated_data[CONFIRM_PARAMETER]:
            raise ClaimTestsFailed(outcome, required)

    def gated_save(self, serializer: Any) -> None:
        """``serializer.save()`` tried first; the serializer is left as it was."""
        instance = serializer.instance
        try:
            self.gated(serializer.save, instance)
        finally:
            serializer.instance = instance

    def gated_delete(self, instance: Any) -> None:
        model = type(instance)
        self.gated(lambda: model._default_manager.filter(pk=instance.pk).delete())

    def handle_exception(self, exc: Exception) -> Any:
        if isinstance(exc, ClaimTestsFailed):
            return Response(exc.body(), status=status.HTTP_409_CONFLICT)
        return super().handle_exception(exc)  # type: ignore[misc]
