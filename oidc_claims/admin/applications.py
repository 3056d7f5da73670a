"""The application profile as an inline of DOT's application admin, whichever class DOT uses."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import get_application_admin_class, get_application_model

from oidc_claims.admin.change_context import ChangeCommentForm, RecordsAdminChanges
from oidc_claims.admin.claim_test_gate import ClaimTestGateInlineMixin
from oidc_claims.admin.widgets import IndentedJSONField
from oidc_claims.models import AppProfile
from oidc_claims.oauth.application_forms import with_application_rules


class AppProfileForm(ChangeCommentForm, forms.ModelForm):
    data = IndentedJSONField(
        required=False,
        label=_("Profile data"),
        help_text=AppProfile._meta.get_field("data").help_text,
    )

    class Meta:
        model = AppProfile
        fields = [
            "data",
            "access_token_audience",
            "allowed_resources",
            "resource_server_audiences",
            "id_token_signed_response_alg",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The admin renders help texts as HTML; these are plain text ("app.profile.<key>").
        for field in self.fields.values():
            field.help_text = escape(field.help_text)

    def clean_data(self) -> Any:
        # An emptied textarea means "no data", not JSON null.
        data = self.cleaned_data["data"]
        return {} if data is None else data


class AppProfileInline(ClaimTestGateInlineMixin, admin.StackedInline):
    model = AppProfile
    form = AppProfileForm
    extra = 1
    max_num = 1
    can_delete = True
    verbose_name = _("claims profile")
    verbose_name_plural = _("claims profile")


def install_application_admin(site: admin.AdminSite = admin.site) -> type[admin.ModelAdmin]:
    """Register the application model with its current admin class plus AppProfileInline,
    and its form extended with this app's application rules (``application_rules``).

    The current class is the one registered on ``site`` (DOT registers
    ``OAUTH2_PROVIDER['APPLICATION_ADMIN_CLASS']``), else DOT's configured class; it is
    subclassed, so its own options and inlines stay; its changes are recorded as revisions
    of channel "admin" (``RecordsAdminChanges``).
    """
    Application = get_application_model()
    registered = site.is_registered(Application)
    base = type(site._registry[Application]) if registered else get_application_admin_class()
    if any(issubclass(inline, AppProfileInline) for inline in base.inlines):
        return base
    admin_class = type(
        base.__name__,
        (RecordsAdminChanges, base),
        {
            "inlines": [*base.inlines, AppProfileInline],
            "form": with_application_rules(base.form),
            "__module__": base.__module__,
        },
    )
    if registered:
        site.unregister(Application)
    site.register(Application, admin_class)
    return admin_class
