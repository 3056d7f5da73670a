"""Admin "Preview impact": the posted change form's effect on tokens, and nothing saved."""

from __future__ import annotations

from html import unescape

import pytest
from django.contrib.auth.models import Permission
from django.db import IntegrityError
from django.urls import reverse

from oidc_claims.admin.claims import ClaimDefinitionAdmin
from oidc_claims.engine.config_version import current_version
from oidc_claims.models import ClaimDefinition
from tests.admin.claim_forms import form_data
from tests.factories import ApplicationFactory, ClaimDefinitionFactory, UserFactory

pytestmark = pytest.mark.django_db

ADD = "admin:oidc_claims_claimdefinition_add"
IMPACT_ADD = "admin:oidc_claims_claimdefinition_impact"
IMPACT_CHANGE = "admin:oidc_claims_claimdefinition_impact_change"
IMPACT_DELETE = "admin:oidc_claims_claimdefinition_impact_delete"
TEAM = 'user.isMemberOfGroupName("eng") ? "eng" : null'
CLAIM_PERMISSIONS = ["add_claimdefinition", "change_claimdefinition", "delete_claimdefinition"]


def staff(*codenames, username="editor"):
    user = UserFactory(username=username, is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="oidc_claims", codename__in=codenames)
    )
    return user


@pytest.fixture
def portal():
    return ApplicationFactory(client_id="portal", name="Portal")


@pytest.fixture
def editor(client, portal):
    UserFactory(username="ada", groups=["eng"])
    UserFactory(username="bob")
    client.force_login(staff(*CLAIM_PERMISSIONS, "view_claimdefinition", "preview_token"))
    return client


def page(response):
    """The page's text with runs of whitespace as one space."""
    return " ".join(unescape(response.content.decode()).split())


def test_the_change_form_has_the_button_for_previewers_only(client, editor, portal):
    assert 'id="preview-impact"' in page(editor.get(reverse(ADD)))
    assert f'formaction="{reverse(IMPACT_ADD)}"' in page(editor.get(reverse(ADD)))
    tier = ClaimDefinitionFactory(name="tier")
    change = page(editor.get(reverse("admin:oidc_claims_claimdefinition_change", args=[tier.pk])))
    assert f'formaction="{reverse(IMPACT_CHANGE, args=[tier.pk])}"' in change

    other = type(client)()
    other.force_login(staff(*CLAIM_PERMISSIONS, "view_claimdefinition", username="nopreview"))
    assert 'id="preview-impact"' not in page(other.get(reverse(ADD)))


def test_preview_impact_of_a_new_claim_renders_the_report_and_saves_nothing(editor, portal):
    version = current_version()
    response = editor.post(
        reverse(IMPACT_ADD), form_data(name="team", value=TEAM, applications=[portal.pk])
    )
    assert response.status_code == 200
    text = page(response)
    # ada is in eng; bob and the editor are not.
    assert "1 of 3 users' ID tokens change (in 1 application)" in text
    assert "0 of 3 users' access tokens change" in text
    assert "claim <code>team</code> created" in text
    assert 'id="impact-app-portal"' in text
    report = response.context["impact"]
    id_token = report["applications"][0]["destinations"][0]
    assert id_token["claims"] == [
        {"kind": "added", "claim": "team", "users": 1, "examples": ["ada"]}
    ]
    assert "<td><code>team</code></td>" in text and '<code>"eng"</code>' in text
    assert not ClaimDefinition.objects.exists()
    assert current_version() == version


def test_the_report_page_saves_the_same_change_when_asked(editor, portal):
    response = editor.post(reverse(IMPACT_ADD), form_data(name="team", value=TEAM))
    resubmit = dict(response.context["resubmit"])
    assert resubmit["name"] == "team"
    saved = editor.post(response.context["save_url"], {**resubmit, "_save": "Save"})
    assert saved.status_code == 302
    assert ClaimDefinition.objects.get(name="team").value == TEAM


def test_preview_impact_of_a_change_shows_old_and_new_values(editor, portal):
    tier = ClaimDefinitionFactory(name="tier", value='"gold"')
    response = editor.post(
        reverse(IMPACT_CHANGE, args=[tier.pk]), form_data(name="tier", value='"silver"')
    )
    assert response.status_code == 200
    text = page(response)
    assert "3 of 3 users' ID tokens change" in text
    assert "claim <code>tier</code> updated: value" in text
    assert '<td><code>"gold"</code></td> <td><code>"silver"</code></td>' in text
    assert ClaimDefinition.objects.get(pk=tier.pk).value == '"gold"'


def test_an_invalid_form_lists_its_errors_and_computes_nothing(editor, portal):
    response = editor.post(reverse(IMPACT_ADD), form_data(name="sub", value="(("))
    assert response.status_code == 200
    assert response.context["impact"] is None
    errors = page(response)
    assert 'id="impact-errors"' in errors
    assert "registered or protocol claim" in errors and "Invalid expression" in errors
    assert 'id="impact-save"' not in errors
    assert not ClaimDefinition.objects.exists()


def test_preview_impact_of_a_deletion(editor, portal):
    tier = ClaimDefinitionFactory(name="tier", value='"gold"')
    confirmation = page(
        editor.get(reverse("admin:oidc_claims_claimdefinition_delete", args=[tier.pk]))
    )
    assert f'action="{reverse(IMPACT_DELETE, args=[tier.pk])}"' in confirmation
    response = editor.post(reverse(IMPACT_DELETE, args=[tier.pk]))
    assert response.status_code == 200
    text = page(response)
    assert "3 of 3 users' userinfo responses change" in text
    assert "claim <code>tier</code> deleted" in text
    assert ClaimDefinition.objects.filter(pk=tier.pk).exists()
    # Its "Yes, delete it" posts Django's confirmation.
    deleted = editor.post(response.context["save_url"], dict(response.context["resubmit"]))
    assert deleted.status_code == 302
    assert not ClaimDefinition.objects.filter(pk=tier.pk).exists()


def test_a_change_that_alters_no_token_says_so(editor, portal):
    tier = ClaimDefinitionFactory(name="tier", value='"gold"', description="old")
    response = editor.post(
        reverse(IMPACT_CHANGE, args=[tier.pk]),
        form_data(name="tier", value='"gold"', description="new words"),
    )
    assert "This change alters no token." in page(response)


def test_permissions(client, portal):
    tier = ClaimDefinitionFactory(name="tier")
    urls = [
        reverse(IMPACT_ADD),
        reverse(IMPACT_CHANGE, args=[tier.pk]),
        reverse(IMPACT_DELETE, args=[tier.pk]),
    ]
    for url in urls:
        anonymous = client.post(url, form_data())
        assert anonymous.status_code == 302
        assert anonymous["Location"].startswith(reverse("admin:login"))

    client.force_login(staff(*CLAIM_PERMISSIONS, username="nopreview"))
    assert all(client.post(url, form_data()).status_code == 403 for url in urls)

    client.force_login(staff("view_claimdefinition", "preview_token", username="viewer"))
    assert all(client.post(url, form_data()).status_code == 403 for url in urls)

    client.force_login(staff(*CLAIM_PERMISSIONS, "preview_token", username="allowed"))
    assert client.get(urls[0]).status_code == 405
    assert client.post(reverse(IMPACT_CHANGE, args=[10**6]), form_data()).status_code == 404
    assert list(ClaimDefinition.objects.values_list("name", flat=True)) == ["tier"]


def test_a_clash_found_while_applying_is_an_error_not_a_server_error(editor, portal, monkeypatch):
    def clash(self, request, obj, form, change):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(ClaimDefinitionAdmin, "save_model", clash)
    response = editor.post(reverse(IMPACT_ADD), form_data(name="team", value=TEAM))
    assert response.status_code == 200
    assert "conflicts with a claim saved meanwhile" in page(response)
    assert response.context["impact"] is None
