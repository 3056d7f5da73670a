"""Admin of claim definitions: list, change form with the language reference, bulk actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy, ngettext
from django.utils.translation import gettext_lazy as _

from oidc_claims.admin.change_context import ChangeCommentForm, RecordsAdminChanges
from oidc_claims.admin.claim_test_gate import ClaimTestGateAdminMixin, gated_action, warn_failing
from oidc_claims.admin.impact_views import ImpactViewsMixin
from oidc_claims.admin.preview_views import PreviewViewsMixin
from oidc_claims.admin.widgets import ExpressionWidget, ScopeListField
from oidc_claims.expressions import reference
from oidc_claims.models import ClaimDefinition, value_syntax_error
from oidc_claims.models.limits import MAX_APPLICATIONS_PER_CLAIM, too_many_problem


class ClaimDefinitionForm(ChangeCommentForm, forms.ModelForm):
    """Scopes typed as text; the value's syntax error also pointed at in the widget."""

    scopes = ScopeListField(
        label=_("Scopes"),
        help_text=_(
            "Scopes that release the claim (any one of them), separated by spaces; "
            "empty releases it with any scope."
        ),
    )

    class Meta:
        model = ClaimDefinition
        fields = list(ClaimDefinition.EDITABLE_FIELDS)

    def clean_applications(self) -> Any:
        applications = self.cleaned_data["applications"]
        problem = too_many_problem(
            "applications", len(applications), MAX_APPLICATIONS_PER_CLAIM
        )
        if problem is not None:
            raise forms.ValidationError(problem, code="too_many_applications")
        return applications

    def _update_errors(self, errors: ValidationError) -> None:
        # The model's clean() repeats, for every channel, checks this form's fields already
        # made ("This field is required." then "The claim name may not be empty."): a field
        # keeps the first message only. (ModelForm's hook for the model's errors.)
        if hasattr(errors, "error_dict"):
            fresh = {f: e for f, e in errors.error_dict.items() if f not in self._errors}
            if not fresh:
                return
            errors = ValidationError(fresh)
        super()._update_errors(errors)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        value = cleaned.get("value")
        widget = self.fields["value"].widget
        if value and isinstance(widget, ExpressionWidget):
            # The message itself comes from the model's validation (the one for every
            # way a claim is saved); the widget only draws the caret under the column.
            widget.syntax_error = value_syntax_error(
                value, cleaned.get("value_type", ""), cleaned.get("group_filter", "")
            )
        return cleaned


@admin.register(ClaimDefinition)
class ClaimDefinitionAdmin(
    RecordsAdminChanges,
    ImpactViewsMixin,
    ClaimTestGateAdminMixin,
    PreviewViewsMixin,
    admin.ModelAdmin,
):
    form = ClaimDefinitionForm
    change_form_template = "admin/oidc_claims/claimdefinition/change_form.html"
    change_list_template = "admin/oidc_claims/claimdefinition/change_list.html"
    # Narrow enough for a 1400 px window beside the filters: one column for the three
    # destinations, the value type shown in the value (groups claims name their filter).
    list_display = [
        "name",
        "destinations_summary",
        "value_summary",
        "scopes_summary",
        "applications_summary",
        "enabled",
    ]
    list_display_links = ["name"]
    list_filter = [
        "enabled",
        "value_type",
        "include_in_id_token",
        "include_in_access_token",
        "include_in_userinfo",
        "standard",
        ("applications", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["name", "description", "value"]
    autocomplete_fields = ["applications"]
    readonly_fields = ["standard", "created", "updated"]
    # Django's delete_selected is replaced by one that runs the claim tests first.
    actions = ["enable_claims", "disable_claims", "duplicate_claims", "delete_selected"]
    fieldsets = [
        (None, {"fields": ["name", "description", "enabled", "standard"]}),
        (
            _("Value"),
            {
                "fields": ["value_type", "value", ("group_filter", "group_limit")],
                "description": _(
                    "An expression computes the value (see the reference below); a groups "
                    "claim lists the user's groups that match the filter."
                ),
            },
        ),
        (
            _("Destinations"),
            {
                "fields": [
                    ("include_in_id_token", "include_in_access_token", "include_in_userinfo"),
                    "id_token_without_access_token",
                ]
            },
        ),
        (
            _("Conditions"),
            {
                "fields": ["scopes", "applications"],
                "description": _("Empty scopes and no applications mean: always."),
            },
        ),
        (_("History"), {"fields": [("created", "updated")], "classes": ["collapse"]}),
        (None, {"fields": ["change_comment"]}),
    ]

    class Media:
        # Shows the group filter and limit only for groups claims.
        js = ["oidc_claims/value_type_fields.js"]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:  # nothing to tell yet about a claim being added
            fieldsets = [entry for entry in fieldsets if entry[0] != _("History")]
        elif not self.has_change_permission(request, obj):
            # Viewing only: there is no change to comment on.
            fieldsets = [fs for fs in fieldsets if "change_comment" not in fs[1]["fields"]]
        return fieldsets

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        # An id beyond a 64-bit key in a hand-edited URL overflows in the database driver
        # on Django 4.2; it names no object, as Django 5 answers.
        try:
            return super().get_object(request, object_id, from_field)
        except OverflowError:
            return None

    def get_queryset(self, request: HttpRequest) -> QuerySet[ClaimDefinition]:
        return super().get_queryset(request).prefetch_related("applications")

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "value":
            kwargs["widget"] = ExpressionWidget(
                check_url=reverse(
                    f"{self.admin_site.name}:oidc_claims_claimdefinition_check_expression"
                )
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        extra_context = {
            **(extra_context or {}),
            "has_preview_permission": self.has_preview_permission(request),
            "has_revision_permission": request.user.has_perm("oidc_claims.view_revision"),
        }
        return super().changelist_view(request, extra_context)

    def changeform_view(
        self, request: HttpRequest, object_id: Any = None, form_url: str = "", extra_context=None
    ) -> HttpResponse:
        extra_context = {
            **(extra_context or {}),
            "reference_syntax": reference.SYNTAX,
            "reference_functions": reference.FUNCTIONS,
            "has_preview_permission": self.has_preview_permission(request),
            "has_revision_permission": request.user.has_perm("oidc_claims.view_revision"),
        }
        return super().changeform_view(request, object_id, form_url, extra_context)

    # --- List columns ------------------------------------------------------------------

    @admin.display(description=_("In"))
    def destinations_summary(self, obj: ClaimDefinition) -> str:
        names = [
            label
            for included, label in (
                (obj.include_in_id_token, _("ID token")),
                (obj.include_in_access_token, _("access token")),
                (obj.include_in_userinfo, _("userinfo")),
            )
            if included
        ]
        return ", ".join(str(name) for name in names) or "–"

    @admin.display(description=_("Value"))
    def value_summary(self, obj: ClaimDefinition) -> str:
        text = Truncator(obj.value).chars(40)
        if obj.value_type == ClaimDefinition.ValueType.GROUPS:
            return format_html(
                "{} <code>{}</code>", obj.get_group_filter_display().split(" (")[0], text
            )
        return format_html("<code>{}</code>", text)

    @admin.display(description=_("Scopes"))
    def scopes_summary(self, obj: ClaimDefinition) -> str:
        return " ".join(obj.scopes) if obj.scopes else _("any")

    @admin.display(description=_("Applications"))
    def applications_summary(self, obj: ClaimDefinition) -> str:
        applications = list(obj.applications.all())
        if not applications:
            return _("all")
        return format_html_join(", ", "{}", ((app.name or app.client_id,) for app in applications))

    # --- Actions -----------------------------------------------------------------------

    @admin.action(description=_("Enable selected claims"), permissions=["change"])
    def enable_claims(
        self, request: HttpRequest, queryset: QuerySet[ClaimDefinition]
    ) -> HttpResponse | None:
        page, gate = gated_action(
            self, request, queryset, lambda: self._enable(queryset),
            confirm_label=_("Enable even though claim tests fail"),
        )  # fmt: skip
        if page is not None:
            return page
        enabled, refused = self._enable(queryset)
        for claim in enabled:
            self.log_change(request, claim, [{"changed": {"fields": ["enabled"]}}])
        if enabled:
            count = len(enabled)
            self.message_user(
                request,
                ngettext("Enabled %d claim.", "Enabled %d claims.", count) % count,
                messages.SUCCESS,
            )
        for text in refused:
            self.message_user(request, _("Not enabled: %s") % text, messages.ERROR)
        warn_failing(request, gate)
        return None

    @staticmethod
    def _enable(queryset: QuerySet[ClaimDefinition]) -> tuple[list[ClaimDefinition], list[str]]:
        """Enable the disabled claims of ``queryset``: those enabled, and why others are not."""
        enabled, refused = [], []
        for claim in queryset.filter(enabled=False):
            claim.enabled = True
            try:
                # The model's rules (e.g. one enabled claim per name and token) apply.
                claim.full_clean()
                with transaction.atomic():
                    claim.save(update_fields=["enabled", "updated"])
            except (ValidationError, IntegrityError) as exc:
                refused.append(f"{claim.name}: {_first_message(exc)}")
                continue
            enabled.append(claim)
        return enabled, refused

    @admin.action(description=_("Disable selected claims"), permissions=["change"])
    def disable_claims(
        self, request: HttpRequest, queryset: QuerySet[ClaimDefinition]
    ) -> HttpResponse | None:
        page, gate = gated_action(
            self, request, queryset, lambda: self._disable(queryset),
            confirm_label=_("Disable even though claim tests fail"),
        )  # fmt: skip
        if page is not None:
            return page
        disabled = self._disable(queryset)
        for claim in disabled:
            self.log_change(request, claim, [{"changed": {"fields": ["enabled"]}}])
        count = len(disabled)
        self.message_user(
            request,
            ngettext("Disabled %d claim.", "Disabled %d claims.", count) % count,
            messages.SUCCESS,
        )
        warn_failing(request, gate)
        return None

    @staticmethod
    def _disable(queryset: QuerySet[ClaimDefinition]) -> list[ClaimDefinition]:
        disabled = []
        for claim in queryset.filter(enabled=True):
            claim.enabled = False
            claim.save(update_fields=["enabled", "updated"])
            disabled.append(claim)
        return disabled

    @admin.action(
        description=gettext_lazy("Delete selected %(verbose_name_plural)s"),
        permissions=["delete"],
    )
    def delete_selected(
        self, request: HttpRequest, queryset: QuerySet[ClaimDefinition]
    ) -> HttpResponse | None:
        """Django's action, with the claim tests run before the confirmed deletion."""
        if not request.POST.get("post"):  # the confirmation page comes first
            return django_delete_selected(self, request, queryset)
        *_objects, perms_needed, protected = self.get_deleted_objects(queryset, request)
        if perms_needed or protected:  # Django refuses it, with its own page
            return django_delete_selected(self, request, queryset)
        page, gate = gated_action(
            self, request, queryset, lambda: queryset.delete(),
            confirm_label=_("Delete even though claim tests fail"),
            extra_fields=(("post", "yes"),),
        )  # fmt: skip
        if page is not None:
            return page
        response = django_delete_selected(self, request, queryset)
        warn_failing(request, gate)
        return response

    @admin.action(
        description=_("Duplicate selected claims (copies are disabled)"), permissions=["add"]
    )
    def duplicate_claims(self, request: HttpRequest, queryset: QuerySet[ClaimDefinition]) -> None:
        copies = 0
        for claim in queryset:
            applications = list(claim.applications.all())
            # Disabled, so that the copy never clashes with its original in a token.
            copy = ClaimDefinition(
                **{
                    name: getattr(claim, name)
                    for name in ClaimDefinition.EDITABLE_FIELDS
                    if name != "applications"
                },
            )
            copy.scopes = list(claim.scopes)
            copy.enabled = False
            with transaction.atomic():
                copy.save()
                copy.applications.set(applications)
            self.log_addition(request, copy, [{"added": {}}])
            copies += 1
        self.message_user(
            request,
            ngettext(
                "Created %d disabled copy; edit it and enable it.",
                "Created %d disabled copies; edit them and enable them.",
                copies,
            )
            % copies,
            messages.SUCCESS,
        )


def _first_message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return _("another enabled claim with this name already goes into the same token.")
