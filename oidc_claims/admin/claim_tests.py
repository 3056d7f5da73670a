"""Admin of claim tests: the list, the change form, and the "Run claim tests" report page."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oidc_claims.admin.preview_views import PREVIEW_PERMISSION
from oidc_claims.admin.widgets import IndentedJSONField, ScopeListField
from oidc_claims.models.claim_tests import EXPECTATION_EXAMPLE, ClaimTest
from oidc_claims.preview.claim_tests import DESTINATION_LABELS, ClaimTestReport, run_claim_tests

# Most ids a run page takes from its URL.
MAX_RUN_IDS = 500


class ClaimTestForm(forms.ModelForm):
    scopes = ScopeListField(
        label=gettext_lazy("Scopes"), help_text=gettext_lazy("Separated by spaces.")
    )
    claims_parameter = IndentedJSONField(
        required=False,
        label=gettext_lazy("Claims request parameter"),
        help_text=ClaimTest._meta.get_field("claims_parameter").help_text,
    )
    expectations = IndentedJSONField(
        label=gettext_lazy("Expectations"),
        help_text=gettext_lazy("%(help)s For example: %(example)s")
        % {
            "help": ClaimTest._meta.get_field("expectations").help_text,
            "example": EXPECTATION_EXAMPLE,
        },
    )

    class Meta:
        model = ClaimTest
        fields = [
            "name",
            "description",
            "enabled",
            "application",
            "user",
            "grant_type",
            "scopes",
            "claims_parameter",
            "expectations",
        ]


@admin.register(ClaimTest)
class ClaimTestAdmin(admin.ModelAdmin):
    form = ClaimTestForm
    change_list_template = "admin/oidc_claims/claimtest/change_list.html"
    change_form_template = "admin/oidc_claims/claimtest/change_form.html"
    list_display = ["name", "application", "user", "grant_type", "expectation_count", "enabled"]
    list_filter = ["enabled", "grant_type"]
    search_fields = ["name", "description"]
    raw_id_fields = ["user"]
    actions = ["run_selected"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ClaimTest]:
        return super().get_queryset(request).select_related("application", "user")

    def has_run_permission(self, request: HttpRequest) -> bool:
        # A run shows token payloads, as the token preview does.
        return self.has_view_permission(request) and request.user.has_perm(PREVIEW_PERMISSION)

    def get_urls(self) -> list[Any]:
        name = f"{self.opts.app_label}_{self.opts.model_name}_run"
        return [
            path("run/", self.admin_site.admin_view(self.run_view), name=name),
            *super().get_urls(),
        ]

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        extra_context = {
            **(extra_context or {}),
            "has_run_permission": self.has_run_permission(request),
        }
        return super().changelist_view(request, extra_context)

    def changeform_view(
        self, request: HttpRequest, object_id: Any = None, form_url: str = "", extra_context=None
    ) -> HttpResponse:
        extra_context = {
            **(extra_context or {}),
            "has_run_permission": self.has_run_permission(request),
        }
        return super().changeform_view(request, object_id, form_url, extra_context)

    @admin.display(description=gettext_lazy("Expectations"))
    def expectation_count(self, obj: ClaimTest) -> int:
        return len(obj.expectations) if isinstance(obj.expectations, list) else 0

    @admin.action(description=gettext_lazy("Run selected claim tests"), permissions=["run"])
    def run_selected(self, request: HttpRequest, queryset: QuerySet[ClaimTest]) -> HttpResponse:
        ids = [("id", pk) for pk in queryset.values_list("pk", flat=True)[:MAX_RUN_IDS]]
        run_url = reverse(f"{self.admin_site.name}:oidc_claims_claimtest_run")
        return HttpResponseRedirect(f"{run_url}?{urlencode(ids)}")

    def run_view(self, request: HttpRequest) -> HttpResponse:
        """Run the tests (``?id=`` ones, else every enabled test) and show the report.

        A GET: a run changes nothing, and its URL can be shared and reloaded.
        """
        if request.method != "GET":
            return HttpResponse(status=405, headers={"Allow": "GET"})
        if not self.has_run_permission(request):
            raise PermissionDenied
        ids = [value for value in request.GET.getlist("id") if value.isdigit() and len(value) < 19]
        tests = None
        if "id" in request.GET:
            tests = ClaimTest.objects.filter(pk__in=ids[:MAX_RUN_IDS]).select_related(
                "application", "user"
            )
        report = run_claim_tests(tests, request=request)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Claim test results"),
            "report": report,
            "rows": report_rows(report),
            "summary": report.as_dict(),
        }
        return TemplateResponse(request, "admin/oidc_claims/claimtest/run.html", context)


def report_rows(report: ClaimTestReport) -> list[dict[str, Any]]:
    """One row per test with its expectations ready to show (values as JSON text)."""
    return [
        {
            "result": result,
            "span": max(1, len(result.problems) + len(result.expectations)),
            "expectations": [
                {
                    "item": item,
                    "destination_label": DESTINATION_LABELS[item.destination],
                    "expected": "" if item.operator == "absent" else _json(item.value),
                    "actual": _json(item.actual) if item.present else _("(absent)"),
                }
                for item in result.expectations
            ],
        }
        for result in report.results
    ]


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)
