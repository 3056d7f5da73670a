"""Claim definition admin: list, change form, expression check, actions, history."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.urls import reverse

from oidc_claims.admin.widgets import syntax_pointer
from oidc_claims.models import ClaimDefinition
from tests.admin.claim_forms import form_data
from tests.factories import ApplicationFactory, ClaimDefinitionFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:oidc_claims_claimdefinition_changelist"
ADD = "admin:oidc_claims_claimdefinition_add"
CHECK = "admin:oidc_claims_claimdefinition_check_expression"


def test_changelist_shows_columns_at_a_glance(superuser_client):
    app = ApplicationFactory(name="Portal")
    ClaimDefinitionFactory(
        name="groups",
        value="eng",
        groups_claim=True,
        scopes=["groups"],
        include_in_access_token=True,
        applications=[app],
    )
    ClaimDefinitionFactory(name="mail", value="user.email", enabled=False)
    response = superuser_client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    page = response.content.decode()
    for column in ("In", "Value", "Scopes", "Applications", "Enabled"):
        assert f">{column}</a>" in page or f"<span>{column}</span>" in page, column
    assert '<td class="field-destinations_summary">ID token, access token, userinfo</td>' in page
    assert '<td class="field-destinations_summary">ID token, userinfo</td>' in page
    assert "Starts with <code>eng</code>" in page
    assert "<code>user.email</code>" in page
    assert "Portal" in page and ">all<" in page and ">any<" in page
    assert reverse("admin:oidc_claims_claimdefinition_preview") in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?q=mail", {"mail"}),
        ("?enabled__exact=0", {"mail"}),
        ("?include_in_access_token__exact=1", {"groups"}),
        ("?value_type__exact=groups", {"groups"}),
    ],
)
def test_changelist_search_and_filters(superuser_client, query, expected):
    ClaimDefinitionFactory(
        name="groups", value="eng", groups_claim=True, include_in_access_token=True
    )
    ClaimDefinitionFactory(name="mail", value="user.email", enabled=False)
    response = superuser_client.get(reverse(CHANGELIST) + query)
    shown = {claim.name for claim in response.context["cl"].result_list}
    assert shown == expected


def test_add_form_has_grouped_fields_and_the_reference(superuser_client):
    response = superuser_client.get(reverse(ADD))
    page = response.content.decode()
    for legend in ("Value", "Destinations", "Conditions"):
        assert f">{legend}</h2>" in page
    # History (created, updated) is for claims that exist.
    assert ">History</h2>" not in page
    assert '<details class="oidc-reference module"' in page
    assert "String.substringBefore" in page and "Arrays.contains" in page
    # Every reference entry shows its example and result.
    assert "String.append(&quot;This is&quot;, &quot; a test&quot;)" in page
    assert "This is a test" in page
    assert f'data-check-url="{reverse(CHECK)}"' in page
    assert "oidc_claims/expression_check.js" in page


def test_save_creates_claim_with_scopes_text_and_history(superuser_client):
    app = ApplicationFactory()
    response = superuser_client.post(
        reverse(ADD),
        form_data(
            scopes="email, profile  email", applications=[str(app.pk)], include_in_access_token="on"
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    claim = ClaimDefinition.objects.get(name="department")
    assert claim.scopes == ["email", "profile"]
    assert list(claim.applications.all()) == [app]
    assert claim.include_in_access_token is True
    assert LogEntry.objects.get(object_id=str(claim.pk)).action_flag == ADDITION
    change = superuser_client.get(
        reverse("admin:oidc_claims_claimdefinition_change", args=[claim.pk])
    )
    assert 'value="email profile"' in change.content.decode()


def test_syntax_error_is_shown_at_line_and_column_on_save(superuser_client):
    response = superuser_client.post(reverse(ADD), form_data(value='user.email +\n  ("x"'))
    assert response.status_code == 200
    assert not ClaimDefinition.objects.exists()
    errors = response.context["adminform"].form.errors["value"]
    assert "Line 2, column" in errors[0]
    page = response.content.decode()
    assert "Error at line 2, column" in page
    assert '<pre class="oidc-pointer">  (&quot;x&quot;\n' in page


def test_reserved_name_and_regex_errors_come_from_the_model(superuser_client):
    response = superuser_client.post(reverse(ADD), form_data(name="sub"))
    assert "Reserved:" in response.context["adminform"].form.errors["name"][0]
    response = superuser_client.post(
        reverse(ADD),
        form_data(value_type="groups", group_filter="regex", value="eng(", name="groups"),
    )
    assert "Invalid regular expression" in response.context["adminform"].form.errors["value"][0]
    assert "Error at line 1, column" in response.content.decode()


def test_check_endpoint_reports_line_column_and_pointer(superuser_client):
    bad = superuser_client.post(
        reverse(CHECK), {"value": 'String.len("a"', "value_type": "expression"}
    )
    result = bad.json()
    assert result["valid"] is False
    assert (result["line"], result["column"]) == (1, 15)
    assert result["pointer"] == 'String.len("a"\n              ^'
    assert "expected" in result["message"]
    good = superuser_client.post(
        reverse(CHECK), {"value": "user.email", "value_type": "expression"}
    )
    assert good.json()["valid"] is True
    regex = superuser_client.post(
        reverse(CHECK), {"value": "(a", "value_type": "groups", "group_filter": "regex"}
    )
    assert regex.json()["valid"] is False


def test_check_endpoint_needs_post_csrf_and_permission(client):
    staff = UserFactory(username="viewer", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_claimdefinition"))
    client.force_login(staff)
    assert client.get(reverse(CHECK)).status_code == 405
    assert client.post(reverse(CHECK), {"value": "1"}).status_code == 403
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    assert csrf_client.post(reverse(CHECK), {"value": "1"}).status_code == 403


def test_syntax_pointer_handles_tabs_and_out_of_range():
    assert syntax_pointer("\tab", 1, 3) == "\tab\n\t ^"
    assert syntax_pointer("x", 5, 1) == "x\n^"


def _action(client, action, claims):
    return client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [str(claim.pk) for claim in claims]},
        follow=True,
    )


def test_disable_and_enable_actions_log_history(superuser_client):
    claim = ClaimDefinitionFactory(name="mail")
    _action(superuser_client, "disable_claims", [claim])
    claim.refresh_from_db()
    assert claim.enabled is False
    response = _action(superuser_client, "enable_claims", [claim])
    claim.refresh_from_db()
    assert claim.enabled is True
    assert "Enabled 1 claim." in response.content.decode()
    flags = list(
        LogEntry.objects.filter(object_id=str(claim.pk)).values_list("action_flag", flat=True)
    )
    assert flags == [CHANGE, CHANGE]


def test_enable_refuses_a_clashing_claim_without_error_page(superuser_client):
    ClaimDefinitionFactory(name="mail")
    disabled = ClaimDefinitionFactory(name="mail", enabled=False)
    response = _action(superuser_client, "enable_claims", [disabled])
    assert response.status_code == 200
    disabled.refresh_from_db()
    assert disabled.enabled is False
    assert "Not enabled: mail" in response.content.decode()


def test_duplicate_creates_disabled_copies_with_applications(superuser_client):
    app = ApplicationFactory()
    claim = ClaimDefinitionFactory(name="mail", scopes=["email"], applications=[app])
    response = _action(superuser_client, "duplicate_claims", [claim])
    assert "Created 1 disabled copy" in response.content.decode()
    copy = ClaimDefinition.objects.exclude(pk=claim.pk).get()
    assert (copy.name, copy.enabled, copy.scopes, copy.value) == (
        "mail",
        False,
        ["email"],
        claim.value,
    )
    assert list(copy.applications.all()) == [app]
    assert LogEntry.objects.get(object_id=str(copy.pk)).action_flag == ADDITION


def test_actions_follow_model_permissions(client):
    staff = UserFactory(username="viewer", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_claimdefinition"))
    client.force_login(staff)
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert "enable_claims" not in response.content.decode()
    assert reverse("admin:oidc_claims_claimdefinition_preview") not in response.content.decode()
