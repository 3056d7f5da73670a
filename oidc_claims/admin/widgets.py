"""Form fields and widgets of the claim admin: expressions, scope lists, JSON, user search."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.forms.fields import InvalidJSONInput
from django.utils.translation import gettext_lazy as _

from oidc_claims.expressions import ExpressionSyntaxError
from oidc_claims.expressions.safe_regex import RegexSyntaxError


def syntax_pointer(text: str, line: int, column: int) -> str:
    """The offending line of ``text`` with a caret under ``column`` (both 1-based)."""
    lines = text.splitlines() or [""]
    source = lines[min(max(line, 1), len(lines)) - 1]
    # Tabs keep their width so the caret stays under the character it points at.
    padding = "".join("\t" if char == "\t" else " " for char in source[: max(column, 1) - 1])
    return f"{source}\n{padding}^"


class ExpressionWidget(forms.Textarea):
    """A monospace textarea that checks its expression as the admin types and, after a
    failed save, points at the error's line and column."""

    template_name = "admin/oidc_claims/widgets/expression.html"

    class Media:
        js = ["oidc_claims/expression_check.js"]
        css = {"all": ["oidc_claims/admin.css"]}

    def __init__(self, check_url: str = "", attrs: dict[str, Any] | None = None) -> None:
        base = {
            "rows": 4,
            "cols": 80,
            "class": "vLargeTextField oidc-expression",
            "spellcheck": "false",
        }
        super().__init__({**base, **(attrs or {})})
        self.check_url = check_url
        self.syntax_error: ExpressionSyntaxError | RegexSyntaxError | None = None

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        if self.check_url:
            context["widget"]["attrs"]["data-check-url"] = self.check_url
        error = self.syntax_error
        if error is not None:
            context["syntax_error"] = {
                "line": error.line,
                "column": error.column,
                "pointer": syntax_pointer(str(value or ""), error.line, error.column),
            }
        return context


class ScopeListField(forms.CharField):
    """A list of scope names typed as text, separated by spaces or commas."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"class": "vLargeTextField"}))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            return " ".join(str(item) for item in value)
        return value

    def to_python(self, value: Any) -> list[str]:
        text = super().to_python(value)
        return list(dict.fromkeys(text.replace(",", " ").split()))


class IndentedJSONField(forms.JSONField):
    """A JSON field shown indented, so that nested profile data stays readable."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", forms.Textarea(attrs={"rows": 8, "cols": 80, "class": "oidc-json"})
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        try:
            return super().to_python(value)
        except RecursionError:
            # Django's JSONField lets the json module's RecursionError through.
            raise ValidationError(_("The JSON is nested too deeply."), code="invalid") from None

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, InvalidJSONInput):
            return value
        if value is None:
            return "{}"  # a new profile has no data: an empty object, not JSON null
        return json.dumps(value, indent=2, ensure_ascii=False, cls=self.encoder)


class PreviewUserWidget(AutocompleteSelect):
    """Django's admin autocomplete, fed by the token preview's own user search (which needs
    the preview permission, not the permission to view users)."""

    url_name = "%s:oidc_claims_claimdefinition_preview_users"

    def __init__(self, field: Any, admin_site: Any, **kwargs: Any) -> None:
        super().__init__(field, admin_site, **kwargs)
        self.attrs.setdefault("data-placeholder", str(_("Search users by name or email")))
        self.attrs.setdefault("style", "width: 30em")

    def optgroups(self, name: str, value: list[Any], attr: Any = None) -> list[Any]:
        # A hand-edited URL may carry a user id that is no id at all: the form reports it,
        # and rendering the widget must not fail on it.
        primary_key = self.choices.queryset.model._meta.pk
        valid = []
        for item in value:
            try:
                key = primary_key.to_python(item)
            except ValidationError:
                continue
            if isinstance(key, int) and not -(2**63) <= key < 2**63:
                continue  # beyond any 64-bit key: the database driver would overflow
            valid.append(item)
        return super().optgroups(name, valid, attr)
