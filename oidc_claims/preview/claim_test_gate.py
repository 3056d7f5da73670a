"""Claim tests run before a change is saved: what the change would break, and whether it may.

The change is applied inside :func:`oidc_claims.preview.pending_change.pending_change` and the tests
run on the uncommitted rows; then it is undone. The tests that fail there run again on the
configuration as it is, so that a test already failing does not block a change it has nothing
to do with: only tests that pass now and would fail after the change (``newly_failing``) need
a confirmation — or, with ``OIDC_CLAIMS["CLAIM_TESTS_REQUIRED"]``, refuse the change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from oidc_claims.conf import claims_settings
from oidc_claims.models.claim_tests import ClaimTest
from oidc_claims.preview.claim_tests import (
    ClaimTestReport,
    ClaimTestResult,
    enabled_tests,
    run_claim_tests,
)
from oidc_claims.preview.pending_change import pending_change


@dataclass
class GateOutcome:
    """The tests after a pending change, and before it those that fail after it."""

    before: ClaimTestReport
    after: ClaimTestReport

    def newly_failing(self) -> list[ClaimTestResult]:
        """Tests that pass now and would not pass after the change: they block it."""
        passing = {result.test_id for result in self.before.results if result.passed}
        return [r for r in self.after.results if not r.passed and r.test_id in passing]

    def already_failing(self) -> list[ClaimTestResult]:
        """Tests that fail now and still would: reported, never blocking."""
        passing = {result.test_id for result in self.before.results if result.passed}
        return [r for r in self.after.results if not r.passed and r.test_id not in passing]

    @property
    def breaks_tests(self) -> bool:
        return bool(self.newly_failing())

    def as_dict(self) -> dict[str, Any]:
        return {
            "required": tests_required(),
            "newly_failing": [result.as_dict() for result in self.newly_failing()],
            "already_failing": [result.as_dict() for result in self.already_failing()],
        }


def tests_required() -> bool:
    """``OIDC_CLAIMS["CLAIM_TESTS_REQUIRED"]``: a change that breaks a test is refused."""
    return bool(claims_settings.CLAIM_TESTS_REQUIRED)


def check_change(apply_change: Callable[[], Any], *, request: Any = None) -> GateOutcome | None:
    """Run the enabled claim tests with ``apply_change()`` applied (it writes the change; it
    is always rolled back), and those that fail then on the configuration as it is. None when
    there are no enabled tests.

    ``request`` is the Django request, for the issuer, as for the preview.
    """
    if not enabled_tests():
        return None
    with pending_change():
        apply_change()
        # Read inside: the change may concern the tests' applications or users.
        after = run_claim_tests(request=request)
    # Only a test failing after the change can block it: only those run on the present
    # configuration (usually none, so that a change costs one run).
    failing = [result.test_id for result in after.results if not result.passed]
    tests = ClaimTest.objects.filter(pk__in=failing).select_related("user", "application")
    before = run_claim_tests(tests, request=request) if failing else ClaimTestReport([])
    return GateOutcome(before, after)


def preserving_instance(instance: Any, apply_change: Callable[[], Any]) -> Callable[[], None]:
    """``apply_change`` that leaves ``instance``'s primary key and saved state as they were.

    A rolled-back save must not leave a primary key on an object that will be saved for
    real afterwards (or a deleted object without one).
    """

    def apply() -> None:
        if instance is None:
            apply_change()
            return
        pk, adding, db = instance.pk, instance._state.adding, instance._state.db
        try:
            apply_change()
        finally:
            instance.pk, instance._state.adding, instance._state.db = pk, adding, db

    return apply
