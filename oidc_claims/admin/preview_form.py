"""The token-preview form: the inputs of :func:`oidc_claims.preview.build.build_preview`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import get_application_model
from oauth2_provider.scopes import get_scopes_backend
from oauthlib.oauth2.rfc6749.errors import OAuth2Error

from oidc_claims.claims_parameter import parse_claims_parameter
from oidc_claims.models import SCOPE_TOKEN_RE
from oidc_claims.models.claim_tests import GRANT_TYPES


def known_scopes() -> list[tuple[str, str]]:
    """(scope, label) of every scope the scopes backend knows, in its order."""
    return [
        (name, f"{name} — {description}")
        for name, description in get_scopes_backend().get_all_scopes().items()
    ]


class PrimaryKeyChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose absurd ids (beyond a 64-bit key) are invalid choices.

    Django 4.2 on SQLite raises OverflowError for them, which would be a server error.
    """

    def to_python(self, value: Any) -> Any:
        try:
            return super().to_python(value)
        except OverflowError:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None


class PreviewForm(forms.Form):
    """Validates preview inputs; ``preview_arguments()`` gives build_preview's arguments."""

    application = PrimaryKeyChoiceField(
        queryset=get_application_model().objects.order_by("name", "pk"),
        label=_("Application"),
    )
    grant_type = forms.ChoiceField(
        choices=GRANT_TYPES, initial="authorization_code", label=_("Grant type")
    )
    user = PrimaryKeyChoiceField(
        queryset=get_user_model()._default_manager.all(),
        required=False,
        label=_("User"),
        help_text=_("Type to search. Not used for client credentials."),
    )
    scopes = forms.MultipleChoiceField(
        choices=known_scopes,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Scopes"),
    )
    extra_scopes = forms.CharField(
        required=False,
        max_length=1000,
        label=_("Other scopes"),
        help_text=_("Space-separated scope names not listed above."),
    )
    claims = forms.CharField(
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60, "class": "vLargeTextField"}),
        label=_("claims parameter"),
        help_text=_(
            'Optional OIDC claims request parameter, e.g. {"userinfo": {"email": null}}. '
            "Only authorization code, implicit and hybrid requests carry it."
        ),
    )
    nonce = forms.CharField(
        required=False,
        max_length=255,
        label=_("Nonce"),
        help_text=_("Only authorization code, implicit and hybrid requests carry one."),
    )

    def __init__(self, *args: Any, user_widget: forms.Widget | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if user_widget is not None:
            # A ModelChoiceField hands its choices to the widget it was built with only.
            user_widget.choices = self.fields["user"].choices
            self.fields["user"].widget = user_widget

    def clean_extra_scopes(self) -> list[str]:
        names = self.cleaned_data["extra_scopes"].split()
        invalid = [name for name in names if not SCOPE_TOKEN_RE.fullmatch(name)]
        if invalid:
            raise forms.ValidationError(
                _("Not a scope name: %(names)s. Scope names have no quotes or backslashes."),
                params={"names": ", ".join(invalid)},
            )
        return names

    def clean_claims(self) -> dict[str, Any] | None:
        try:
            return parse_claims_parameter(self.cleaned_data["claims"].strip() or None)
        except OAuth2Error as exc:
            raise forms.ValidationError(exc.description) from None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("grant_type") not in (None, "client_credentials") and not cleaned.get(
            "user"
        ):
            self.add_error("user", _("Choose the user the tokens are issued to."))
        return cleaned

    def preview_arguments(self) -> dict[str, Any]:
        """Keyword arguments for build_preview (after ``is_valid()``)."""
        data = self.cleaned_data
        return {
            "application": data["application"],
            "grant_type": data["grant_type"],
            "user": data["user"],
            "scopes": list(dict.fromkeys([*data["scopes"], *data["extra_scopes"]])),
            "claims_parameter": data["claims"],
            "nonce": data["nonce"] or None,
        }
