"""Claim tests run before an admin save: the failures shown on the form, saved when confirmed.

:class:`ClaimTestGateAdminMixin` goes on a ModelAdmin whose form saves claim configuration
(the claim definition's). The form, once valid, applies its change inside a rolled-back
transaction and runs the claim tests (:mod:`oidc_claims.claim_test_gate`); when a test that
passes now would fail, the form is invalid until "Save even though claim tests fail" is ticked
— or for good with ``OIDC_CLAIMS["CLAIM_TESTS_REQUIRED"]``. The template
``admin/oidc_claims/claim_test_gate.html`` shows the failures and the checkbox.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..claim_test_gate import GateOutcome, check_change, preserving_instance, tests_required
from ..claim_test_runner import ClaimTestReport
from .claim_tests import report_rows

CONFIRM_FIELD = "confirm_failing_tests"


class ClaimTestGateFormMixin:
    """For a ModelForm: run the claim tests on the change once the form is otherwise valid."""

    gate_request: HttpRequest | None = None
    claim_test_outcome: GateOutcome | None = None
    claim_tests_required = False

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]
        if self._errors:  # type: ignore[attr-defined]
            return
        outcome = check_change(
            preserving_instance(self.instance, self._apply_change),  # type: ignore[attr-defined]
            request=self.gate_request,
        )
        if outcome is None or not outcome.breaks_tests:
            return
        self.claim_test_outcome = outcome
        self.claim_tests_required = tests_required()
        count = len(outcome.newly_failing())
        if self.claim_tests_required:
            message = _(
                "This change makes %(count)d passing claim test(s) fail (below), and claim "
                "tests are required (OIDC_CLAIMS['CLAIM_TESTS_REQUIRED']): it cannot be saved. "
                "Change it, or the tests, so that they pass."
            )
        elif self.cleaned_data.get(CONFIRM_FIELD):  # type: ignore[attr-defined]
            return
        else:
            message = _(
                "This change makes %(count)d passing claim test(s) fail (below). Tick “Save "
                "even though claim tests fail” to save it anyway."
            )
        self.add_error(  # type: ignore[attr-defined]
            None, ValidationError(message, code="claim_tests_failed", params={"count": count})
        )

    def _apply_change(self) -> None:
        self.instance.save()  # type: ignore[attr-defined]
        self._save_m2m()  # type: ignore[attr-defined]

    def claim_test_rows(self) -> dict[str, Any]:
        """The failures to show: tests the change breaks, and tests already failing."""
        outcome = self.claim_test_outcome
        if outcome is None:
            return {}
        return {
            "newly_failing": report_rows(ClaimTestReport(outcome.newly_failing())),
            "already_failing": report_rows(ClaimTestReport(outcome.already_failing())),
        }


def gated_form(form_class: type[forms.ModelForm], request: HttpRequest) -> type:
    """``form_class`` that runs the claim tests before it is valid (for this request)."""
    attrs = {
        CONFIRM_FIELD: forms.BooleanField(
            required=False, label=gettext_lazy("Save even though claim tests fail")
        ),
        "gate_request": request,
        "__module__": form_class.__module__,
    }
    return type(form_class.__name__, (ClaimTestGateFormMixin, form_class), attrs)


class ClaimTestGateAdminMixin:
    """For a ModelAdmin: its add and change forms run the claim tests before saving."""

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):
        form = super().get_form(request, obj, change, **kwargs)  # type: ignore[misc]
        return gated_form(form, request) if self._saves(request) else form

    def _saves(self, request: HttpRequest) -> bool:
        # Only the add and change views save: other views that validate the form (the
        # impact preview) save nothing and are not held up by the tests.
        match = request.resolver_match
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"  # type: ignore[attr-defined]
        return match is not None and match.url_name in (f"{prefix}_add", f"{prefix}_change")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        outcome = getattr(form, "claim_test_outcome", None)
        if outcome is not None:
            names = ", ".join(result.name for result in outcome.newly_failing())
            messages.warning(request, _("Saved although these claim tests now fail: %s") % names)
