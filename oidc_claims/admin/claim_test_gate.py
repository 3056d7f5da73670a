"""Claim tests run before an admin save: the failures shown on the form, saved when confirmed.

:class:`ClaimTestGateAdminMixin` goes on a ModelAdmin whose form saves claim configuration
(the claim definition's), :class:`ClaimTestGateInlineMixin` on an inline that does (the app
profile on the application page). Once valid, the form (or formset, with its parent object)
applies its change inside a rolled-back transaction and runs the claim tests
(:mod:`oidc_claims.preview.claim_test_gate`); when a test that passes now would fail, it is invalid
until "Save even though claim tests fail" is ticked — or for good with
``OIDC_CLAIMS["CLAIM_TESTS_REQUIRED"]``. The template ``admin/oidc_claims/claim_test_gate.html``
shows the failures and the checkbox.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oidc_claims.admin.claim_tests import report_rows
from oidc_claims.preview.claim_test_gate import (
    GateOutcome,
    check_change,
    preserving_instance,
    tests_required,
)
from oidc_claims.preview.claim_tests import ClaimTestReport

CONFIRM_FIELD = "confirm_failing_tests"


class Gate:
    """What a gated form, formset or view keeps of its run, for the template."""

    gate_request: HttpRequest | None = None
    claim_test_outcome: GateOutcome | None = None
    claim_tests_required = False
    # The checkbox that confirms the change, as the page names its action.
    confirm_label = gettext_lazy("Save even though claim tests fail")

    def __init__(self, *args: Any, confirm_label: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if confirm_label is not None:
            self.confirm_label = confirm_label

    def problem(self, outcome: GateOutcome | None, confirmed: bool) -> ValidationError | None:
        """The error that keeps the change from being saved, or None."""
        if outcome is None or not outcome.breaks_tests:
            return None
        self.claim_test_outcome = outcome
        self.claim_tests_required = tests_required()
        count = len(outcome.newly_failing())
        if self.claim_tests_required:
            message = _(
                "This change makes %(count)d passing claim test(s) fail (below), and claim "
                "tests are required (OIDC_CLAIMS['CLAIM_TESTS_REQUIRED']): it cannot be saved. "
                "Change it, or the tests, so that they pass."
            )
        elif confirmed:
            return None
        else:
            message = _(
                "This change makes %(count)d passing claim test(s) fail (below). Tick "
                "“%(label)s” to save it anyway."
            )
        return ValidationError(
            message,
            code="claim_tests_failed",
            params={"count": count, "label": self.confirm_label},
        )

    def claim_test_rows(self) -> dict[str, Any]:
        """The failures to show: tests the change breaks, and tests already failing."""
        outcome = self.claim_test_outcome
        if outcome is None:
            return {}
        return {
            "newly_failing": report_rows(ClaimTestReport(outcome.newly_failing())),
            "already_failing": report_rows(ClaimTestReport(outcome.already_failing())),
        }


class ClaimTestGateFormMixin(Gate):
    """For a ModelForm: run the claim tests on the change once the form is otherwise valid."""

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]
        if self._errors:  # type: ignore[attr-defined]
            return
        outcome = check_change(
            preserving_instance(self.instance, self._apply_change),  # type: ignore[attr-defined]
            request=self.gate_request,
        )
        confirmed = bool(self.cleaned_data.get(CONFIRM_FIELD))  # type: ignore[attr-defined]
        if problem := self.problem(outcome, confirmed):
            self.add_error(None, problem)  # type: ignore[attr-defined]

    def _apply_change(self) -> None:
        self.instance.save()  # type: ignore[attr-defined]
        self._save_m2m()  # type: ignore[attr-defined]


class ClaimTestGateFormSetMixin(Gate):
    """For an inline formset: run the claim tests on its parent's and its own changes."""

    def clean(self) -> None:
        super().clean()  # type: ignore[misc]
        parent = self.instance  # type: ignore[attr-defined]
        # No test can name an application being added; and with errors there is no change.
        if parent.pk is None or any(self.errors):  # type: ignore[attr-defined]
            return
        try:
            outcome = check_change(self._apply_change, request=self.gate_request)
        except (ValidationError, DatabaseError):
            # The parent form is invalid: it reports why, and nothing will be saved.
            return
        confirmed = self.data.get(CONFIRM_FIELD) == "on"  # type: ignore[attr-defined]
        if problem := self.problem(outcome, confirmed):
            raise problem

    def _apply_change(self) -> None:
        # The admin saves parent and formset later, for real: nothing they hold may keep the
        # keys (or deletions) of the rolled-back writes.
        instances = [self.instance, *(form.instance for form in self.forms)]  # type: ignore[attr-defined]
        states = [(obj, obj.pk, obj._state.adding, obj._state.db) for obj in instances]
        try:
            self.instance.save()  # type: ignore[attr-defined]
            self.save()  # type: ignore[attr-defined]
        finally:
            for obj, pk, adding, db in states:
                obj.pk, obj._state.adding, obj._state.db = pk, adding, db


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


def gated_formset(formset_class: type, request: HttpRequest) -> type:
    """``formset_class`` that runs the claim tests before it is valid (for this request)."""
    attrs = {"gate_request": request, "__module__": formset_class.__module__}
    return type(formset_class.__name__, (ClaimTestGateFormSetMixin, formset_class), attrs)


class ClaimTestGateInlineMixin:
    """For an InlineModelAdmin: its formset runs the claim tests before the page saves."""

    template = "admin/oidc_claims/gated_stacked_inline.html"

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)  # type: ignore[misc]
        return gated_formset(formset, request) if _saves(self.parent_model, request) else formset


def _saves(model: Any, request: HttpRequest) -> bool:
    # Only the add and change views save: other views that validate the form (the impact
    # preview) save nothing and are not held up by the tests.
    match = request.resolver_match
    prefix = f"{model._meta.app_label}_{model._meta.model_name}"
    return match is not None and match.url_name in (f"{prefix}_add", f"{prefix}_change")


class ClaimTestGateAdminMixin:
    """For a ModelAdmin: its add and change forms, and the deletion of one object, run the
    claim tests before saving."""

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):
        form = super().get_form(request, obj, change, **kwargs)  # type: ignore[misc]
        return gated_form(form, request) if _saves(self.model, request) else form  # type: ignore[attr-defined]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        if isinstance(form, Gate):
            warn_failing(request, form)

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        # The confirmed deletion (POST with "post") is tried first; when it breaks tests,
        # the confirmation page comes back with the failures instead.
        if request.method == "POST" and request.POST.get("post"):
            obj = self.get_object(request, unquote(object_id))  # type: ignore[attr-defined]
            if obj is not None and self.has_delete_permission(request, obj):  # type: ignore[attr-defined]
                gate = Gate()
                outcome = check_change(
                    lambda: type(obj)._default_manager.filter(pk=obj.pk).delete(), request=request
                )
                confirmed = request.POST.get(CONFIRM_FIELD) == "on"
                if gate.problem(outcome, confirmed) is not None:
                    request.POST = QueryDict()  # show the confirmation page again
                    extra_context = {**(extra_context or {}), "claim_test_gate": gate}
        return super().delete_view(request, object_id, extra_context)  # type: ignore[misc]


def gated_action(
    modeladmin: Any,
    request: HttpRequest,
    queryset: Any,
    apply_change: Any,
    *,
    confirm_label: str,
    extra_fields: tuple[tuple[str, str], ...] = (),
) -> tuple[HttpResponse | None, Gate]:
    """Run the claim tests with a bulk action's change applied and undone.

    Returns ``(None, gate)`` when the action may go ahead (``gate.claim_test_outcome`` is set
    when it goes ahead although tests fail, confirmed), else ``(page, gate)``: a 409 page with
    the failures and a button that posts the action again, confirmed (none when claim tests
    are required). ``extra_fields`` are posted again too (the delete action's ``post``).
    """
    gate = Gate(confirm_label=confirm_label)
    outcome = check_change(apply_change, request=request)
    problem = gate.problem(outcome, request.POST.get(CONFIRM_FIELD) == "on")
    if problem is None:
        return None, gate
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.model._meta,
        "title": _("Claim tests would fail"),
        "message": " ".join(problem),
        "claim_test_gate": gate,
        "action": request.POST.get("action", ""),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "selected": [str(pk) for pk in queryset.values_list("pk", flat=True)],
        "extra_fields": extra_fields,
    }
    page = TemplateResponse(
        request, "admin/oidc_claims/claim_test_action_gate.html", context, status=409
    )
    return page, gate


def warn_failing(request: HttpRequest, gate: Gate) -> None:
    """The warning after a change made although claim tests fail (confirmed)."""
    if gate.claim_test_outcome is not None:
        names = ", ".join(result.name for result in gate.claim_test_outcome.newly_failing())
        messages.warning(request, _("Saved although these claim tests now fail: %s") % names)
