"""Admin views beside the claim list: the token preview, its user search, the expression check."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oauth2_provider.models import get_access_token_model
from oauthlib.oauth2.rfc6749.errors import OAuth2Error

from oidc_claims.admin.preview_form import PreviewForm
from oidc_claims.admin.widgets import PreviewUserWidget, syntax_pointer
from oidc_claims.engine.resolve import Destination, Reason
from oidc_claims.models import value_syntax_error
from oidc_claims.preview.build import build_preview

PREVIEW_PERMISSION = "oidc_claims.preview_token"
USER_SEARCH_PAGE_SIZE = 20
# No site has this many users; the database's OFFSET is a signed 64-bit number.
MAX_SEARCH_OFFSET = 2**40

REASON_LABELS = {
    Reason.INCLUDED: gettext_lazy("included"),
    Reason.REQUESTED: gettext_lazy("included: requested with the claims parameter"),
    Reason.WITHOUT_ACCESS_TOKEN: gettext_lazy(
        "included: no access token is issued, so the ID token carries it"
    ),
    Reason.DISABLED: gettext_lazy("omitted: disabled"),
    Reason.NOT_FOR_DESTINATION: gettext_lazy("omitted: not configured for this token"),
    Reason.SCOPE_NOT_GRANTED: gettext_lazy("omitted: none of its scopes granted"),
    Reason.APPLICATION_NOT_SELECTED: gettext_lazy("omitted: not selected for this application"),
    Reason.NO_USER: gettext_lazy("omitted: reads the user, and this grant has none"),
    Reason.NULL_VALUE: gettext_lazy("omitted: the value is null"),
    Reason.EMPTY_VALUE: gettext_lazy("omitted: the value is empty"),
    Reason.EVALUATION_ERROR: gettext_lazy("omitted: evaluation error"),
    Reason.GROUP_LIMIT_EXCEEDED: gettext_lazy("refused: group limit exceeded"),
    Reason.VALUE_TOO_LARGE: gettext_lazy("omitted: the value is too large"),
}
PANELS = (
    ("id_token", gettext_lazy("ID token")),
    ("access_token", gettext_lazy("Access token")),
    ("userinfo", gettext_lazy("Userinfo response")),
    ("introspection", gettext_lazy("Introspection response")),
)


class PreviewViewsMixin:
    """Adds ``preview/``, ``preview/users/`` and ``check-expression/`` to a ModelAdmin."""

    def has_preview_permission(self, request: HttpRequest) -> bool:
        return (
            request.user.is_active
            and request.user.is_staff
            and request.user.has_perm(PREVIEW_PERMISSION)
        )

    def get_urls(self) -> list[Any]:
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path("preview/", wrap(self.preview_view), name=f"{prefix}_preview"),
            path("preview/users/", wrap(self.preview_users_view), name=f"{prefix}_preview_users"),
            path(
                "check-expression/",
                wrap(self.check_expression_view),
                name=f"{prefix}_check_expression",
            ),
            *super().get_urls(),
        ]

    # --- Token preview -----------------------------------------------------------------

    def preview_view(self, request: HttpRequest) -> HttpResponse:
        if request.method != "GET":
            return HttpResponse(status=405, headers={"Allow": "GET"})
        if not self.has_preview_permission(request):
            raise PermissionDenied
        user_widget = PreviewUserWidget(
            get_access_token_model()._meta.get_field("user"), self.admin_site
        )
        bound = "application" in request.GET
        form = PreviewForm(
            request.GET if bound else None,
            initial={"grant_type": "authorization_code", "scopes": ["openid", "profile", "email"]},
            user_widget=user_widget,
        )
        preview, error = None, None
        if bound and form.is_valid():
            try:
                preview = build_preview(**form.preview_arguments(), request=request)
            except (ValueError, OAuth2Error) as exc:
                error = getattr(exc, "description", None) or str(exc)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Token preview"),
            "form": form,
            "media": self.media + form.media,
            "preview": preview,
            "error": error,
            "panels": _panels(preview) if preview else [],
            "trace": _trace_rows(preview) if preview else [],
            "share_url": request.build_absolute_uri() if preview else None,
        }
        return TemplateResponse(request, "admin/oidc_claims/preview.html", context)

    def preview_users_view(self, request: HttpRequest) -> HttpResponse:
        """Select2 results for the preview's user field."""
        if request.method != "GET":
            return HttpResponse(status=405, headers={"Allow": "GET"})
        if not self.has_preview_permission(request):
            raise PermissionDenied
        term = request.GET.get("term", "").strip()
        try:
            page = max(int(request.GET.get("page", "1")), 1)
        except ValueError:
            page = 1
        start = (page - 1) * USER_SEARCH_PAGE_SIZE
        if start > MAX_SEARCH_OFFSET or "\x00" in term:
            # Beyond every user; and no stored text holds NUL (PostgreSQL cannot compare
            # with it, and an OFFSET past 64 bits overflows the database driver).
            chunk = []
        else:
            users = _search_users(self.admin_site, request, term)
            chunk = list(users[start : start + USER_SEARCH_PAGE_SIZE + 1])
        return JsonResponse(
            {
                "results": [
                    {"id": str(user.pk), "text": _user_label(user)}
                    for user in chunk[:USER_SEARCH_PAGE_SIZE]
                ],
                "pagination": {"more": len(chunk) > USER_SEARCH_PAGE_SIZE},
            }
        )

    # --- Expression check --------------------------------------------------------------

    def check_expression_view(self, request: HttpRequest) -> HttpResponse:
        """Compile a claim value without saving it: ``{"valid", "message", ...}``."""
        if request.method != "POST":
            return HttpResponse(status=405, headers={"Allow": "POST"})
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        value = request.POST.get("value", "")
        error = value_syntax_error(
            value, request.POST.get("value_type", ""), request.POST.get("group_filter", "")
        )
        if error is None:
            return JsonResponse({"valid": True, "message": _("The value compiles.")})
        return JsonResponse(
            {
                "valid": False,
                "message": str(error),
                "line": error.line,
                "column": error.column,
                "pointer": syntax_pointer(value, error.line, error.column),
            }
        )


def _search_users(site: admin.AdminSite, request: HttpRequest, term: str) -> Any:
    User = get_user_model()
    users = User._default_manager.order_by(User.USERNAME_FIELD)
    if not term:
        return users
    user_admin = site._registry.get(User)
    if user_admin is not None and user_admin.get_search_fields(request):
        # The site's own user search (fields, lookups) applies here too.
        users, _duplicates = user_admin.get_search_results(request, users, term)
        return users.distinct()
    return users.filter(**{f"{User.USERNAME_FIELD}__icontains": term})


def _user_label(user: Any) -> str:
    email = getattr(user, "email", "")
    return f"{user.get_username()} <{email}>" if email else user.get_username()


def _pretty(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)


def _panels(preview: dict[str, Any]) -> list[dict[str, Any]]:
    panels = []
    for key, title in PANELS:
        panel = preview[key]
        panels.append(
            {
                **panel,
                "key": key,
                "title": title,
                "header_json": _pretty(panel["header"]) if panel["header"] is not None else None,
                "payload_json": _pretty(panel["payload"]) if panel["payload"] is not None else None,
            }
        )
    return panels


def _trace_rows(preview: dict[str, Any]) -> list[dict[str, Any]]:
    labels = dict(Destination.choices)
    rows = []
    for entry in preview["trace"]:
        reason = Reason(entry["reason"])
        rows.append(
            {
                **entry,
                "destination_label": labels[entry["destination"]],
                "reason_label": REASON_LABELS[reason],
                "state": "included"
                if entry["included"]
                else ("failed" if entry["error"] else "excluded"),
                "value_json": _pretty(entry["value"]) if entry["included"] else "",
            }
        )
    return rows
