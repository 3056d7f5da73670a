"""Admin views that change the claim configuration attribute it to the signed-in user, with
the comment typed on the form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from oidc_claims.models.revisions import Channel
from oidc_claims.revisions.context import COMMENT_MAX_LENGTH, change_context, current_change

COMMENT_FIELD = "change_comment"


class ChangeCommentForm(forms.Form):
    """A form mixin: the optional "Change comment" kept with the revision a save records.

    It is no data of the object: typing only a comment changes nothing (``changed_data``).
    """

    change_comment = forms.CharField(
        label=_("Change comment"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=_("Why; kept with the revision that records this change."),
    )

    @property
    def changed_data(self) -> list[str]:
        return [name for name in super().changed_data if name != COMMENT_FIELD]


def _keep_comment(form: Any) -> None:
    context = current_change()
    comment = getattr(form, "cleaned_data", {}).get(COMMENT_FIELD, "").strip()
    if context is not None and comment:
        context.comment = comment


class RecordsAdminChanges:
    """A ModelAdmin mixin: adding, changing and deleting objects, and the list's actions and
    inline edits, record their revision with channel "admin" and the user."""

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with change_context(Channel.ADMIN, user=request.user):
            return super().changeform_view(request, *args, **kwargs)  # type: ignore[misc]

    def delete_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with change_context(Channel.ADMIN, user=request.user):
            return super().delete_view(request, *args, **kwargs)  # type: ignore[misc]

    def changelist_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with change_context(Channel.ADMIN, user=request.user):
            return super().changelist_view(request, *args, **kwargs)  # type: ignore[misc]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        _keep_comment(form)
        super().save_model(request, obj, form, change)  # type: ignore[misc]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        for inline_form in formset.forms:
            _keep_comment(inline_form)
        super().save_formset(request, form, formset, change)  # type: ignore[misc]
