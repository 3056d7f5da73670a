"""Form support for this app's application rules: their errors shown on the form's fields."""

from __future__ import annotations

from typing import Any

from django import forms

from oidc_claims.oauth.application_rules import application_errors


class ApplicationRulesFormMixin:
    """Mix into a ModelForm of DOT's application model (before ``forms.ModelForm``).

    After the model's own validation, adds :func:`application_errors` to the fields they
    concern (or to the form when the field is not on it), so a form never reaches the
    ``pre_save`` refusal of :mod:`oidc_claims.signals`.
    """

    def _post_clean(self: Any) -> None:
        super()._post_clean()  # type: ignore[misc]
        for field, errors in application_errors(self.instance).items():
            self.add_error(field if field in self.fields else None, errors)


def with_application_rules(form_class: type[forms.ModelForm]) -> type[forms.ModelForm]:
    """``form_class`` extended with :class:`ApplicationRulesFormMixin` (once)."""
    if issubclass(form_class, ApplicationRulesFormMixin):
        return form_class
    return type(
        form_class.__name__,
        (ApplicationRulesFormMixin, form_class),
        {"__module__": form_class.__module__},
    )
