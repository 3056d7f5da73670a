"""Admin of revisions: the history of the claim configuration, readable diffs, rollback."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oidc_claims.admin.claim_test_gate import CONFIRM_FIELD, Gate
from oidc_claims.admin.impact_views import impact_presentation
from oidc_claims.models import AppProfile, ClaimDefinition
from oidc_claims.models.revisions import Revision
from oidc_claims.preview.claim_test_gate import check_change
from oidc_claims.preview.impact import impact_of
from oidc_claims.revisions.context import COMMENT_MAX_LENGTH, comment_problem
from oidc_claims.revisions.diff import summary
from oidc_claims.revisions.rollback import RollbackRefused, rollback_to
from oidc_claims.transfer.importer import replace_configuration

ROLLBACK_PERMISSIONS = ("oidc_claims.change_claimdefinition", "oidc_claims.change_appprofile")
# The impact shows other users' claim values, as the token preview does.
PREVIEW_PERMISSION = "oidc_claims.preview_token"


class TouchedFilter(admin.SimpleListFilter):
    """Revisions that changed one claim (by name) or one application's profile."""

    title = gettext_lazy("claim or application")
    parameter_name = "claim"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        names = ClaimDefinition.objects.order_by("name").values_list("name", flat=True)
        clients = AppProfile.objects.order_by("application__client_id").values_list(
            "application__client_id", flat=True
        )
        return [(name, name) for name in dict.fromkeys([*names, *clients])]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Revision]) -> QuerySet[Revision]:
        value = self.value()
        if not value or "\x00" in value:
            return queryset if not value else queryset.none()
        return queryset.filter(touched__contains=f"\n{value}\n")


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    change_form_template = "admin/oidc_claims/revision/change_form.html"
    list_display = ["__str__", "created", "channel", "author_display", "comment", "changes"]
    list_filter = ["channel", TouchedFilter, "created"]
    search_fields = ["author", "comment", "client_id"]
    date_hierarchy = "created"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "created",
                    "channel",
                    "author_display",
                    "comment",
                    "restores",
                    "diff_table",
                ]
            },
        ),
        (
            gettext_lazy("Configuration after this change"),
            {"fields": ["snapshot_json"], "classes": ["collapse"]},
        ),
    ]
    readonly_fields = [
        "created",
        "channel",
        "author_display",
        "comment",
        "restores",
        "diff_table",
        "snapshot_json",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # retention (REVISIONS_KEEP, REVISIONS_KEEP_DAYS) deletes revisions

    def has_rollback_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request) and request.user.has_perms(ROLLBACK_PERMISSIONS)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Revision]:
        queryset = super().get_queryset(request).select_related("user")
        match = request.resolver_match
        if match is not None and match.url_name.endswith("_changelist"):
            # The list shows no snapshot, the bulk of every revision.
            queryset = queryset.defer("snapshot")
        return queryset

    def get_urls(self) -> list[Any]:
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "<path:object_id>/rollback/",
                self.admin_site.admin_view(self.rollback_view),
                name=f"{prefix}_rollback",
            ),
            *super().get_urls(),
        ]

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None
    ) -> HttpResponse:
        extra_context = {
            **(extra_context or {}),
            "has_rollback_permission": self.has_rollback_permission(request),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    # --- Columns and fields ----------------------------------------------------------

    @admin.display(description=gettext_lazy("author"), ordering="author")
    def author_display(self, revision: Revision) -> str:
        author = revision.author or "—"
        return f"{author} ({revision.client_id})" if revision.client_id else author

    @admin.display(description=gettext_lazy("changes"))
    def changes(self, revision: Revision) -> str:
        counts = summary(revision.diff)
        parts = []
        for kind, label in (("claims", _("claims")), ("app_profiles", _("profiles"))):
            for action, verb in (
                ("added", _("added")),
                ("changed", _("changed")),
                ("removed", _("removed")),
            ):
                if counts[f"{kind}_{action}"]:
                    parts.append(f"{counts[f'{kind}_{action}']} {label} {verb}")
        if revision.restores_id:
            parts.insert(0, _("rollback to revision %s") % revision.restores_id)
        return ", ".join(parts) or "—"

    @admin.display(description=gettext_lazy("changes"))
    def diff_table(self, revision: Revision) -> str:
        return render_to_string(
            "admin/oidc_claims/revision/diff.html", {"sections": diff_sections(revision.diff)}
        )

    @admin.display(description=gettext_lazy("configuration"))
    def snapshot_json(self, revision: Revision) -> str:
        text = json.dumps(revision.snapshot, indent=2, ensure_ascii=False)
        return format_html('<pre class="oidc-json-block">{}</pre>', text)

    # --- Rollback ----------------------------------------------------------------------

    def rollback_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """GET: what a rollback would change (a dry run); POST: roll back, with a comment."""
        if request.method not in ("GET", "POST"):
            return HttpResponse(status=405, headers={"Allow": "GET, POST"})
        if not self.has_rollback_permission(request):
            raise PermissionDenied
        # Within a 64-bit key: a longer id names no revision (and overflows the driver).
        if not object_id.isdigit() or len(object_id) > 18:
            raise Http404(_("No revision has this id."))
        target = get_object_or_404(Revision, pk=object_id)
        comment = request.POST.get("comment", "").strip() if request.method == "POST" else ""
        problem = comment_problem(comment)
        if request.method == "POST" and problem is None:
            gate = Gate(confirm_label=_("Roll back even though claim tests fail"))
            try:
                # The claim tests first, with the rollback applied and undone, as for a save.
                outcome = check_change(
                    lambda: rollback_to(target, comment=comment, user=request.user),
                    request=request,
                )
                confirmed = request.POST.get(CONFIRM_FIELD) == "on"
                if gate_error := gate.problem(outcome, confirmed):
                    return self._rollback_page(
                        request, target, comment, gate=gate, gate_error=" ".join(gate_error)
                    )
                result = rollback_to(target, comment=comment, user=request.user)
            except RollbackRefused as exc:
                return self._rollback_page(request, target, comment, refused=exc.errors)
            if gate.claim_test_outcome is not None:
                names = ", ".join(r.name for r in gate.claim_test_outcome.newly_failing())
                self.message_user(
                    request,
                    _("Rolled back although these claim tests now fail: %s") % names,
                    messages.WARNING,
                )
            if result.revision is None:
                self.message_user(
                    request,
                    _("The configuration already is that of revision %s; nothing changed.")
                    % target.pk,
                    messages.WARNING,
                )
                return HttpResponseRedirect(self._change_url(target))
            self.message_user(
                request,
                _("Rolled back to revision %(target)s as revision %(new)s.")
                % {"target": target.pk, "new": result.revision.pk},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(self._change_url(result.revision))
        return self._rollback_page(request, target, comment, comment_error=problem)

    def _rollback_page(
        self,
        request: HttpRequest,
        target: Revision,
        comment: str,
        refused: list[str] | None = None,
        comment_error: str | None = None,
        gate: Gate | None = None,
        gate_error: str | None = None,
    ) -> HttpResponse:
        report, impact = None, None
        if refused is None:
            try:
                report = rollback_to(target, dry_run=True, user=request.user).report
            except RollbackRefused as exc:
                refused = exc.errors
        may_preview = request.user.has_perm(PREVIEW_PERMISSION)
        if report is not None and may_preview and request.GET.get("impact") == "1":
            # Whose tokens the rollback would change: the snapshot applied and rolled back.
            impact = impact_of(
                lambda: replace_configuration(target.snapshot), request=request
            ).as_dict()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Roll back to revision %s") % target.pk,
            "revision": target,
            "report": report,
            "changes": [c for c in report.changes if c.action != "unchanged"] if report else [],
            "refused": refused,
            "comment": comment,
            "comment_error": comment_error,
            "comment_max_length": COMMENT_MAX_LENGTH,
            "may_preview_impact": may_preview,
            "impact": impact,
            "impact_view": impact_presentation(impact) if impact is not None else None,
            # The claim tests the rollback would break, with the confirmation checkbox.
            "claim_test_gate": gate,
            "claim_test_gate_error": gate_error,
        }
        status = 400 if refused or comment_error else 409 if gate_error else 200
        return TemplateResponse(
            request, "admin/oidc_claims/revision/rollback.html", context, status=status
        )

    def _change_url(self, revision: Revision) -> str:
        return reverse(
            f"{self.admin_site.name}:oidc_claims_revision_change", args=[revision.pk]
        )


def diff_sections(diff: dict[str, Any]) -> list[dict[str, Any]]:
    """The diff as the template draws it: per claim and per profile, one row per field."""
    sections = []
    for kind, title in (("claims", _("Claims")), ("app_profiles", _("Application profiles"))):
        items = []
        for item in diff.get(kind, []):
            rows = [
                {
                    "field": change["field"],
                    "old": _shown(change["old"]),
                    "new": _shown(change["new"]),
                }
                for change in item["fields"]
            ]
            items.append({"action": item["action"], "key": item["key"], "rows": rows})
        if items:
            sections.append({"title": title, "items": items})
    return sections


def _shown(value: Any) -> str:
    # Text as written (a claim's value is an expression, often with quotes of its own);
    # an empty text as "" so that it shows; anything else as JSON.
    if value is None:
        return ""
    if isinstance(value, str) and value:
        return value
    return json.dumps(value, ensure_ascii=False)
