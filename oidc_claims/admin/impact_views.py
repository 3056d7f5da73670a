"""Admin "Preview impact": the change form's (or a deletion's) effect on tokens, not saved."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.admin.utils import unquote
from django.contrib.messages.storage import default_storage
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oidc_claims.preview.impact import CLIENT_GRANT, impact_of

IMPACT_TEMPLATE = "admin/oidc_claims/impact.html"
DESTINATION_LABELS = {
    "id_token": gettext_lazy("ID tokens"),
    "access_token": gettext_lazy("access tokens"),
    "userinfo": gettext_lazy("userinfo responses"),
}
# Posted fields that are not the form's: they are not posted again with "Save".
_NOT_FORM_FIELDS = frozenset({"csrfmiddlewaretoken", "_preview_impact"})


class ImpactViewsMixin:
    """Adds ``impact/`` (add form), ``<id>/impact/`` (change form) and ``<id>/delete/impact/``
    to a ModelAdmin that also has ``PreviewViewsMixin`` (for ``has_preview_permission``)."""

    def get_urls(self) -> list[Any]:
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path("impact/", wrap(self.impact_view), name=f"{prefix}_impact"),
            # Before "<id>/impact/", whose <path:> would take "1/delete" as an id.
            path(
                "<path:object_id>/delete/impact/",
                wrap(self.delete_impact_view),
                name=f"{prefix}_impact_delete",
            ),
            path(
                "<path:object_id>/impact/", wrap(self.impact_view), name=f"{prefix}_impact_change"
            ),
            *super().get_urls(),
        ]

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        extra_context = {
            **(extra_context or {}),
            "has_preview_permission": self.has_preview_permission(request),
        }
        return super().delete_view(request, object_id, extra_context)

    def impact_view(self, request: HttpRequest, object_id: str | None = None) -> HttpResponse:
        """The posted change form, validated as for a save, applied and rolled back."""
        if request.method != "POST":
            return HttpResponse(status=405, headers={"Allow": "POST"})
        obj = self._impact_object(request, object_id)
        change = obj is not None
        allowed = (
            self.has_change_permission(request, obj) if change else self.has_add_permission(request)
        )
        if not (allowed and self.has_preview_permission(request)):
            raise PermissionDenied
        form = self.get_form(request, obj, change=change)(request.POST, request.FILES, instance=obj)
        report, errors = None, form.errors
        if form.is_valid():

            def apply() -> None:
                # What the admin's save runs, so that the change is the one a save makes;
                # messages it leaves (e.g. "saved although...") are not shown: nothing is.
                with _messages_discarded(request):
                    new_object = self.save_form(request, form, change=change)
                    self.save_model(request, new_object, form, change)
                    self.save_related(request, form, [], change)

            try:
                report = impact_of(apply, request=request).as_dict()
            except IntegrityError as exc:
                # A definition saved meanwhile by someone else clashes with this one.
                errors = {
                    NON_FIELD_ERRORS: [
                        _("The change conflicts with a claim saved meanwhile: %s") % exc
                    ]
                }
        save_url = (
            reverse(f"{self.admin_site.name}:{self._prefix()}_change", args=[obj.pk])
            if change
            else reverse(f"{self.admin_site.name}:{self._prefix()}_add")
        )
        return self._render(
            request,
            obj,
            report,
            title=_("Impact of this change") if change else _("Impact of this new claim"),
            errors=errors,
            save_url=save_url,
            resubmit=[
                (name, value)
                for name, values in request.POST.lists()
                if name not in _NOT_FORM_FIELDS
                for value in values
            ],
        )

    def delete_impact_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The impact of deleting the object, which is deleted and restored."""
        if request.method != "POST":
            return HttpResponse(status=405, headers={"Allow": "POST"})
        obj = self._impact_object(request, object_id)
        if not (self.has_delete_permission(request, obj) and self.has_preview_permission(request)):
            raise PermissionDenied
        # Before the deletion, which forgets the object's primary key.
        delete_url = reverse(f"{self.admin_site.name}:{self._prefix()}_delete", args=[obj.pk])

        def apply() -> None:
            with _messages_discarded(request):
                self.delete_model(request, obj)

        report = impact_of(apply, request=request).as_dict()
        return self._render(
            request,
            self._impact_object(request, object_id),
            report,
            title=_("Impact of deleting this claim"),
            save_url=delete_url,
            # Django's delete confirmation deletes on a POST carrying post=yes.
            resubmit=[("post", "yes")],
            deleting=True,
        )

    def _prefix(self) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}"

    def _impact_object(self, request: HttpRequest, object_id: str | None) -> Any:
        if object_id is None:
            return None
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404(_("No claim definition with this id; it may have been deleted."))
        return obj

    def _render(
        self, request: HttpRequest, obj: Any, report: dict[str, Any] | None, **context: Any
    ) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "impact": report,
            "impact_view": impact_presentation(report) if report is not None else None,
            **context,
        }
        return TemplateResponse(request, IMPACT_TEMPLATE, context)


@contextmanager
def _messages_discarded(request: HttpRequest) -> Iterator[None]:
    # A fresh storage that the messages middleware never saves: what a rolled-back save
    # says to the user is dropped.
    kept = getattr(request, "_messages", None)
    request._messages = default_storage(request)
    try:
        yield
    finally:
        if kept is None:
            del request._messages
        else:
            request._messages = kept


def impact_presentation(report: dict[str, Any]) -> dict[str, Any]:
    """The report arranged for the template: sentences, rows and pretty JSON."""
    return {
        "headlines": [
            {
                **row,
                "label": DESTINATION_LABELS[row["destination"]],
                "changes": bool(row["changed_users"] or row["changed_applications"]),
            }
            for row in report["summary"]
        ],
        "applications": [_application(app) for app in report["applications"]],
    }


def _application(app: dict[str, Any]) -> dict[str, Any]:
    return {
        **app,
        # A client-credentials client is compared once, for itself: no user to count.
        "is_client": app["inputs"]["grant_type"] == CLIENT_GRANT,
        "destination_rows": [
            {**row, "label": DESTINATION_LABELS[row["destination"]]} for row in app["destinations"]
        ],
        "diff_rows": [
            {"user": diff["user"], "rows": _diff_rows(diff["destinations"])}
            for diff in app["user_diffs"]
        ],
    }


def _diff_rows(destinations: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for name, diff in destinations.items():
        label = DESTINATION_LABELS[name]
        for claim, value in diff["added"].items():
            rows.append(_row(label, claim, "added", None, value))
        for claim, value in diff["removed"].items():
            rows.append(_row(label, claim, "removed", value, None))
        for claim, values in diff["changed"].items():
            rows.append(_row(label, claim, "changed", values["old"], values["new"]))
        for member, values in diff["header"].items():
            rows.append(_row(label, f"{member} (header)", "header", values["old"], values["new"]))
        if diff["status"] is not None:
            status = diff["status"]
            rows.append(
                {
                    "destination": label,
                    "claim": "",
                    "kind": "status",
                    "old": " ".join(filter(None, [status["old"], status["old_note"]])),
                    "new": " ".join(filter(None, [status["new"], status["new_note"]])),
                }
            )
    return rows


def _row(destination: Any, claim: str, kind: str, old: Any, new: Any) -> dict[str, Any]:
    return {
        "destination": destination,
        "claim": claim,
        "kind": kind,
        "old": _pretty(old) if kind != "added" else "",
        "new": _pretty(new) if kind != "removed" else "",
    }


def _pretty(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)
