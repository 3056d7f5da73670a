"""Admin views that change the claim configuration attribute it to the signed-in user."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from ..revisions.context import Channel, change_context


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
