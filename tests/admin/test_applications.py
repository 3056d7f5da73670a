"""The app profile inline on DOT's application admin (whatever admin class DOT registers)."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.urls import reverse
from oauth2_provider.admin import ApplicationAdmin
from oauth2_provider.models import get_application_model

from oidc_claims.admin import AppProfileInline, install_application_admin
from oidc_claims.models import AppProfile
from tests.factories import ApplicationFactory, AppProfileFactory

pytestmark = pytest.mark.django_db

Application = get_application_model()


class SiteApplicationAdmin(ApplicationAdmin):
    """Stands for a site's OAUTH2_PROVIDER['APPLICATION_ADMIN_CLASS']."""

    list_per_page = 7


def test_the_registered_admin_is_dot_configured_class_plus_the_inline():
    model_admin = admin.site._registry[Application]
    assert isinstance(model_admin, ApplicationAdmin)
    assert AppProfileInline in model_admin.inlines


def test_a_custom_registered_admin_class_is_kept_and_extended():
    site = admin.AdminSite(name="custom")
    site.register(Application, SiteApplicationAdmin)
    admin_class = install_application_admin(site)
    registered = site._registry[Application]
    assert type(registered) is admin_class
    assert issubclass(admin_class, SiteApplicationAdmin)
    assert registered.list_per_page == 7
    assert admin_class.inlines == [*SiteApplicationAdmin.inlines, AppProfileInline]
    # Installing twice adds nothing.
    assert install_application_admin(site) is admin_class


def test_unregistered_model_gets_dot_configured_admin_class(settings):
    settings.OAUTH2_PROVIDER = {
        **settings.OAUTH2_PROVIDER,
        "APPLICATION_ADMIN_CLASS": "tests.admin.test_applications.SiteApplicationAdmin",
    }
    site = admin.AdminSite(name="empty")
    admin_class = install_application_admin(site)
    assert issubclass(admin_class, SiteApplicationAdmin)
    assert AppProfileInline in site._registry[Application].inlines


def _change_url(application):
    return reverse(
        f"admin:{Application._meta.app_label}_{Application._meta.model_name}_change",
        args=[application.pk],
    )


def _post_data(client, application, data_text, audience=""):
    page = client.get(_change_url(application))
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None or value is False:
            continue
        data[name] = value.pk if hasattr(value, "pk") else value
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    existing = AppProfile.objects.filter(application=application).first()
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "1" if existing else "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1",
            f"{prefix}-0-data": data_text,
            f"{prefix}-0-access_token_audience": audience,
            f"{prefix}-0-application": str(application.pk),
        }
    )
    if existing:
        data[f"{prefix}-0-id"] = str(existing.pk)
    return data


def test_profile_json_is_shown_indented(superuser_client):
    application = ApplicationFactory()
    AppProfileFactory(application=application, data={"label": "Sales", "limits": {"groups": 3}})
    page = superuser_client.get(_change_url(application)).content.decode()
    assert "{\n  &quot;label&quot;: &quot;Sales&quot;,\n  &quot;limits&quot;: {\n" in page


def test_profile_is_saved_from_the_application_page_with_history(superuser_client):
    application = ApplicationFactory()
    response = superuser_client.post(
        _change_url(application),
        _post_data(superuser_client, application, '{"label": "Ops"}', audience="api://ops"),
    )
    assert response.status_code == 302, response.context["errors"]
    profile = AppProfile.objects.get(application=application)
    assert profile.data == {"label": "Ops"}
    assert profile.access_token_audience == "api://ops"
    entry = LogEntry.objects.filter(object_id=str(application.pk)).get()
    assert entry.action_flag == CHANGE and "application profile" in entry.get_change_message()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "Enter a valid JSON."),
        ('["a list"]', "must be a JSON object"),
        ('{"groups_allow_list": "staff"}', "list of group names"),
        ('{"blob": "' + "x" * 70_000 + '"}', "more than the limit of 65536"),
    ],
)
def test_invalid_profile_json_is_refused_on_the_form(superuser_client, text, message):
    application = ApplicationFactory()
    response = superuser_client.post(
        _change_url(application), _post_data(superuser_client, application, text)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AppProfile.objects.filter(application=application).exists()
    # The admin's text comes back: as typed when it is not JSON, else indented.
    shown = response.content.decode()
    if message == "Enter a valid JSON.":
        assert text in shown
    else:
        first_string = text.split('"')[1]
        assert f"&quot;{first_string}&quot;" in shown
