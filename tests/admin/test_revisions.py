"""Revisions in the admin: every admin channel records, the history page and its diffs, links,
rollback with its dry run, refusal and permissions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from oidc_claims.models import AppProfile, ClaimDefinition
from oidc_claims.models.revisions import Revision
from oidc_claims.transfer.format import export_configuration
from tests.admin.claim_forms import form_data
from tests.api_helpers import CLAIM_PERMS, PROFILE_PERMS, user_with
from tests.factories import ApplicationFactory, ClaimDefinitionFactory
from tests.revisions_support import configure, latest_revision, payloads

pytestmark = pytest.mark.django_db(transaction=True)

CLAIMS = "admin:oidc_claims_claimdefinition_changelist"
REVISIONS = "admin:oidc_claims_revision_changelist"


def revision_url(revision: Revision, view: str = "change") -> str:
    return reverse(f"admin:oidc_claims_revision_{view}", args=[revision.pk])


def action(client, name, claims):
    return client.post(
        reverse(CLAIMS),
        {"action": name, "_selected_action": [str(claim.pk) for claim in claims]},
    )


def test_add_change_and_delete_record_admin_revisions_with_the_comment(superuser_client):
    add = superuser_client.post(
        reverse("admin:oidc_claims_claimdefinition_add"),
        form_data(change_comment="  Asked for by sales  "),
    )
    assert add.status_code == 302
    definition = ClaimDefinition.objects.get()
    added = latest_revision()
    assert (added.channel, added.author, added.user.username, added.comment) == (
        "admin",
        "root",
        "root",
        "Asked for by sales",
    )
    change_url = reverse("admin:oidc_claims_claimdefinition_change", args=[definition.pk])
    superuser_client.post(change_url, form_data(value="user.username"))
    changed = latest_revision()
    assert changed.comment == ""
    assert changed.diff["claims"][0]["fields"] == [
        {"field": "value", "old": "user.email", "new": "user.username"}
    ]
    # Saving the form unchanged records nothing.
    superuser_client.post(change_url, form_data(value="user.username", change_comment="no-op"))
    assert latest_revision() == changed
    delete_url = reverse("admin:oidc_claims_claimdefinition_delete", args=[definition.pk])
    assert superuser_client.post(delete_url, {"post": "yes"}).status_code == 302
    removed = latest_revision()
    assert (removed.channel, removed.diff["claims"][0]["action"]) == ("admin", "removed")
    assert Revision.objects.count() == 3


def test_a_refused_save_records_nothing(superuser_client):
    response = superuser_client.post(
        reverse("admin:oidc_claims_claimdefinition_add"), form_data(value="user.")
    )
    assert response.status_code == 200
    too_long = superuser_client.post(
        reverse("admin:oidc_claims_claimdefinition_add"), form_data(change_comment="x" * 1001)
    )
    assert "at most 1000 characters" in too_long.content.decode()
    assert not Revision.objects.exists()


def test_list_actions_record_one_revision_each(superuser_client):
    claims = [ClaimDefinitionFactory(name=f"claim_{i}") for i in range(3)]
    start = Revision.objects.count()
    action(superuser_client, "disable_claims", claims)
    disabled = latest_revision()
    assert disabled.channel == "admin" and disabled.author == "root"
    assert len(disabled.diff["claims"]) == 3
    action(superuser_client, "enable_claims", claims)
    action(superuser_client, "duplicate_claims", claims[:2])
    duplicated = latest_revision()
    assert [c["action"] for c in duplicated.diff["claims"]] == ["added", "added"]
    assert Revision.objects.count() == start + 3
    assert {r.channel for r in Revision.objects.all()[:3]} == {"admin"}


def test_the_application_admin_records_profile_changes_as_admin(superuser_client):
    app = ApplicationFactory(client_id="portal")
    AppProfile.objects.create(application=app, data={"label": "Sales"})
    url = reverse(f"admin:{app._meta.app_label}_{app._meta.model_name}_delete", args=[app.pk])
    assert superuser_client.post(url, {"post": "yes"}).status_code == 302
    revision = latest_revision()
    assert (revision.channel, revision.author) == ("admin", "root")
    assert revision.diff["app_profiles"][0]["action"] == "removed"


def test_history_page_lists_revisions_with_links_from_the_claims(superuser_client):
    definition = ClaimDefinitionFactory(name="department", value="user.email")
    ClaimDefinitionFactory(name="teams")
    definition.value = '"Sales"'
    definition.save()
    claims_page = superuser_client.get(reverse(CLAIMS)).content.decode()
    assert f'href="{reverse(REVISIONS)}"' in claims_page and "Revision history" in claims_page
    change_page = superuser_client.get(
        reverse("admin:oidc_claims_claimdefinition_change", args=[definition.pk])
    ).content.decode()
    assert f"{reverse(REVISIONS)}?claim=department" in change_page
    assert 'name="change_comment"' in change_page
    listing = superuser_client.get(reverse(REVISIONS))
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "1 claims changed" in page and "1 claims added" in page
    filtered = superuser_client.get(reverse(REVISIONS), {"claim": "department"})
    assert list(filtered.context["cl"].result_list) == list(
        Revision.objects.filter(touched__contains="\ndepartment\n")
    )
    assert len(filtered.context["cl"].result_list) == 2


def test_the_revision_page_shows_the_diff_as_a_table(superuser_client):
    definition = ClaimDefinitionFactory(name="department", value="user.email")
    definition.value = '"Sales"'
    definition.include_in_access_token = True
    definition.save()
    response = superuser_client.get(revision_url(latest_revision()))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<table class="oidc-diff">' in page
    assert "&#x27;department&#x27; (id_token, access_token, userinfo)" in page
    assert '<td class="oidc-diff-old"><code>user.email</code></td>' in page
    assert '<td class="oidc-diff-new"><code>&quot;Sales&quot;</code></td>' in page
    assert '<td class="oidc-diff-new"><code>true</code></td>' in page
    assert "include_in_access_token" in page
    assert "Roll back to this revision" in page
    # Read only: no save buttons, and no way to add or delete revisions.
    assert 'name="_save"' not in page
    assert superuser_client.get(reverse("admin:oidc_claims_revision_add")).status_code == 403


def test_rollback_in_the_admin_previews_then_restores_the_tokens(superuser_client):
    setup = configure()
    target = latest_revision()
    before = payloads(setup["portal"], setup["user"])
    ClaimDefinition.objects.filter(name="department").update(value='"changed"')
    ClaimDefinition.objects.filter(name="teams").delete()
    ClaimDefinitionFactory(name="extra", value='"x"')
    assert payloads(setup["portal"], setup["user"]) != before
    count = Revision.objects.count()

    preview = superuser_client.get(revision_url(target, "rollback"))
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "delete" in page and "&#x27;extra&#x27; (id_token, userinfo)" in page
    assert Revision.objects.count() == count  # the preview is a dry run

    done = superuser_client.post(revision_url(target, "rollback"), {"comment": "Undo the mess"})
    new = latest_revision()
    assert done.status_code == 302 and done["Location"] == revision_url(new)
    assert (new.channel, new.author, new.comment, new.restores) == (
        "rollback",
        "root",
        "Undo the mess",
        target,
    )
    assert payloads(setup["portal"], setup["user"]) == before
    again = superuser_client.post(revision_url(target, "rollback"), {"comment": ""}, follow=True)
    assert "nothing changed" in again.content.decode()
    assert latest_revision() == new


def test_a_refused_rollback_shows_the_reasons_and_changes_nothing(superuser_client):
    setup = configure()
    target = latest_revision()
    setup["portal"].delete()
    before, count = export_configuration(include_tests=False), Revision.objects.count()
    for response in (
        superuser_client.get(revision_url(target, "rollback")),
        superuser_client.post(revision_url(target, "rollback"), {"comment": "try"}),
    ):
        assert response.status_code == 400
        page = response.content.decode()
        assert "refused; nothing was changed" in page
        assert "no application has client id &#x27;portal&#x27;" in page
    assert export_configuration(include_tests=False) == before and Revision.objects.count() == count


def test_rollback_and_history_permissions(client):
    ClaimDefinitionFactory(name="department")
    target = latest_revision()
    assert client.get(reverse(REVISIONS)).status_code == 302  # to the login page
    client.force_login(user_with(*CLAIM_PERMS, *PROFILE_PERMS, is_staff=True))
    assert client.get(reverse(REVISIONS)).status_code == 403
    assert client.get(revision_url(target, "rollback")).status_code == 403
    claims_page = client.get(reverse(CLAIMS)).content.decode()
    assert "Revision history" not in claims_page
    client.force_login(user_with("view_revision", "view_claimdefinition", is_staff=True))
    assert client.get(reverse(REVISIONS)).status_code == 200
    page = client.get(revision_url(target)).content.decode()
    assert "Roll back to this revision" not in page
    assert client.post(revision_url(target, "rollback")).status_code == 403
    definition = ClaimDefinition.objects.get()
    view_only = client.get(
        reverse("admin:oidc_claims_claimdefinition_change", args=[definition.pk])
    )
    assert view_only.status_code == 200 and "change_comment" not in view_only.content.decode()
    client.force_login(
        user_with("view_revision", "change_claimdefinition", "change_appprofile", is_staff=True)
    )
    assert client.get(revision_url(target, "rollback")).status_code == 200
    assert client.get(f"/admin/oidc_claims/revision/{'9' * 30}/rollback/").status_code == 404
    assert client.get("/admin/oidc_claims/revision/424242/rollback/").status_code == 404
    assert client.put(revision_url(target, "rollback")).status_code == 405


def test_the_rollback_page_previews_the_impact_on_tokens_on_request(superuser_client, client):
    configure()
    target = latest_revision()
    ClaimDefinition.objects.filter(name="department").update(value='"changed"')
    url = revision_url(target, "rollback")
    plain = superuser_client.get(url).content.decode()
    assert 'href="?impact=1"' in plain and "Impact on tokens" not in plain
    response = superuser_client.get(url, {"impact": "1"})
    assert response.status_code == 200
    impact = response.context["impact"]
    id_token = next(row for row in impact["summary"] if row["destination"] == "id_token")
    assert id_token["changed_users"] >= 1
    assert "Impact on tokens" in response.content.decode()
    assert ClaimDefinition.objects.get(name="department").value == '"changed"'
    # Without the token preview permission: no impact, not even on request.
    client.force_login(
        user_with("view_revision", "change_claimdefinition", "change_appprofile", is_staff=True)
    )
    page = client.get(url, {"impact": "1"})
    assert page.context["impact"] is None and 'href="?impact=1"' not in page.content.decode()


def test_the_application_page_keeps_the_profile_comment_and_a_lone_comment_saves_nothing(
    superuser_client,
):
    from tests.admin.test_applications import _change_url, _post_data

    application = ApplicationFactory(client_id="portal")
    data = _post_data(superuser_client, application, "")
    prefix = next(key for key in data if key.endswith("-TOTAL_FORMS")).removesuffix("-TOTAL_FORMS")
    # Only a comment in the empty profile form: no profile, no revision.
    data[f"{prefix}-0-change_comment"] = "nothing really"
    response = superuser_client.post(_change_url(application), data)
    assert response.status_code == 302
    assert not AppProfile.objects.exists() and not Revision.objects.exists()

    data = _post_data(superuser_client, application, '{"label": "Ops"}')
    data[f"{prefix}-0-change_comment"] = "Ops owns the portal now"
    assert superuser_client.post(_change_url(application), data).status_code == 302
    revision = latest_revision()
    assert (revision.channel, revision.author, revision.comment) == (
        "admin",
        "root",
        "Ops owns the portal now",
    )
    assert revision.diff["app_profiles"][0]["key"] == "portal"


def test_a_comment_alone_is_no_change_of_the_claim(superuser_client):
    from django.contrib.admin.models import LogEntry

    definition = ClaimDefinitionFactory(name="department", value="user.email")
    url = reverse("admin:oidc_claims_claimdefinition_change", args=[definition.pk])
    data = form_data(group_limit=str(definition.group_limit), change_comment="just a note")
    # The form's hidden initial value of a field whose default is computed, as a browser sends.
    data["initial-group_limit"] = data["group_limit"]
    superuser_client.post(url, data)
    entry = LogEntry.objects.get(object_id=str(definition.pk))
    assert entry.get_change_message() == "No fields changed."


def test_a_rollback_that_breaks_a_claim_test_asks_for_confirmation(superuser_client, settings):
    from tests.api_helpers import gold
    from tests.factories import AppProfileFactory, ClaimTestFactory, UserFactory

    portal = ApplicationFactory(client_id="portal")
    AppProfileFactory(application=portal, data={"tier": "gold"})
    tier = ClaimDefinitionFactory(name="tier", value='"silver"')
    constant = latest_revision()
    tier.value = "app.profile.tier"
    tier.save()
    ClaimTestFactory(
        name="portal users are gold", application=portal, user=UserFactory(), expectations=[gold()]
    )
    revisions = Revision.objects.count()
    url = revision_url(constant, "rollback")

    refused = superuser_client.post(url, {"comment": "back"})
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "makes 1 passing claim test(s) fail" in page and "portal users are gold" in page
    assert "Roll back even though claim tests fail" in page
    assert ClaimDefinition.objects.get().value == "app.profile.tier"
    assert Revision.objects.count() == revisions

    settings.OIDC_CLAIMS = {**settings.OIDC_CLAIMS, "CLAIM_TESTS_REQUIRED": True}
    required = superuser_client.post(url, {"comment": "back", "confirm_failing_tests": "on"})
    assert required.status_code == 409
    assert "Roll back even though" not in required.content.decode()
    assert ClaimDefinition.objects.get().value == "app.profile.tier"

    settings.OIDC_CLAIMS = {**settings.OIDC_CLAIMS, "CLAIM_TESTS_REQUIRED": False}
    done = superuser_client.post(
        url, {"comment": "back", "confirm_failing_tests": "on"}, follow=True
    )
    assert done.status_code == 200
    assert ClaimDefinition.objects.get().value == '"silver"'
    assert Revision.objects.count() == revisions + 1
    assert "Rolled back although these claim tests now fail: portal users are gold" in (
        done.content.decode()
    )
