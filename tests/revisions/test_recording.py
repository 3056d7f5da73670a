"""Every committed change of the claim configuration made through Django records one revision,
with its channel and author; writes that change nothing record none."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from oidc_claims.models import AppProfile, ClaimDefinition
from oidc_claims.models.revisions import Revision
from oidc_claims.revisions.context import Channel, change_context
from tests.factories import (
    ApplicationFactory,
    AppProfileFactory,
    ClaimDefinitionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def revisions() -> list[Revision]:
    return list(Revision.objects.order_by("pk"))


def latest() -> Revision:
    return Revision.objects.order_by("-pk").first()


def claim(name: str = "department", **fields) -> ClaimDefinition:
    fields.setdefault("value", "user.email")
    return ClaimDefinition.objects.create(name=name, **fields)


def test_an_orm_save_records_a_revision_with_channel_orm_and_the_snapshot():
    claim("department")
    (revision,) = revisions()
    assert revision.channel == Channel.ORM
    assert revision.author == "" and revision.user is None
    assert [c["name"] for c in revision.snapshot["claims"]] == ["department"]
    assert revision.diff["claims"][0]["action"] == "added"
    assert revision.touched == "\ndepartment\n"


def test_a_save_that_changes_nothing_records_nothing():
    definition = claim("department")
    definition.save()
    ClaimDefinition.objects.filter(pk=definition.pk).update(value="user.email")
    assert len(revisions()) == 1


def test_queryset_update_records_the_changed_field():
    definition = claim("department")
    ClaimDefinition.objects.filter(pk=definition.pk).update(value='"Sales"')
    revision = latest()
    assert len(revisions()) == 2
    (change,) = revision.diff["claims"]
    assert change["action"] == "changed"
    assert {"field": "value", "old": "user.email", "new": '"Sales"'} in change["fields"]
    assert [f["field"] for f in change["fields"]] == ["value"]


def test_bulk_create_records_one_revision_for_all_rows():
    ClaimDefinition.objects.bulk_create(
        [ClaimDefinition(name=f"claim_{i}", value=f'"{i}"') for i in range(5)]
    )
    (revision,) = revisions()
    assert sorted(c["name"] for c in revision.diff["claims"]) == [f"claim_{i}" for i in range(5)]


def test_many_writes_in_one_transaction_are_one_revision():
    app = ApplicationFactory(client_id="portal")
    with transaction.atomic():
        for index in range(20):
            claim(f"claim_{index}")
        AppProfile.objects.create(application=app, data={"label": "Sales"})
        ClaimDefinition.objects.filter(name="claim_3").delete()
    (revision,) = revisions()
    assert len(revision.diff["claims"]) == 19
    (profile,) = revision.diff["app_profiles"]
    assert (profile["action"], profile["key"]) == ("added", "portal")
    assert {"field": "data", "old": None, "new": {"label": "Sales"}} in profile["fields"]
    assert {"field": "allowed_resources", "old": None, "new": ""} in profile["fields"]


def test_a_rolled_back_transaction_records_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        claim("department")
        raise RuntimeError
    assert revisions() == []


def test_m2m_set_records_the_applications():
    portal, crm = ApplicationFactory(client_id="portal"), ApplicationFactory(client_id="crm")
    definition = claim("department")
    definition.applications.set([portal, crm])
    (change,) = latest().diff["claims"]
    assert change["fields"] == [{"field": "applications", "old": [], "new": ["crm", "portal"]}]
    definition.applications.remove(crm)
    assert latest().diff["claims"][0]["fields"] == [
        {"field": "applications", "old": ["crm", "portal"], "new": ["portal"]}
    ]
    assert len(revisions()) == 3


def test_a_delete_records_the_removed_claim_with_its_fields():
    definition = claim("department")
    definition.delete()
    (change,) = latest().diff["claims"]
    assert change["action"] == "removed"
    assert {"field": "value", "old": "user.email", "new": None} in change["fields"]
    assert latest().snapshot["claims"] == []


def test_raw_sql_through_django_is_recorded():
    definition = claim("department")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {ClaimDefinition._meta.db_table} SET enabled = %s WHERE id = %s",
            [False, definition.pk],
        )
    assert latest().diff["claims"][0]["fields"] == [{"field": "enabled", "old": True, "new": False}]


def test_a_destination_change_is_one_changed_claim():
    definition = claim("department")
    definition.include_in_access_token = True
    definition.save()
    (change,) = latest().diff["claims"]
    assert change["action"] == "changed"
    assert change["key"] == "'department' (id_token, access_token, userinfo)"
    assert change["fields"] == [{"field": "include_in_access_token", "old": False, "new": True}]


def test_a_change_context_names_channel_author_and_comment_and_records_once():
    user = UserFactory(username="ada")
    with change_context(Channel.ADMIN, user=user, comment="Sales asked for it"):
        for index in range(3):
            # Each save commits on its own, as the admin's list actions do.
            claim(f"claim_{index}")
    (revision,) = revisions()
    assert (revision.channel, revision.user, revision.author, revision.comment) == (
        Channel.ADMIN,
        user,
        "ada",
        "Sales asked for it",
    )
    assert len(revision.diff["claims"]) == 3


def test_the_author_is_kept_when_the_user_is_deleted():
    user = UserFactory(username="ada")
    with change_context(Channel.ADMIN, user=user):
        claim()
    user.delete()
    revision = latest()
    assert revision.user is None and revision.author == "ada"


def test_import_claims_records_one_revision_for_the_whole_file(tmp_path):
    ApplicationFactory(client_id="portal")
    document = {
        "format": "oidc_claims.claims",
        "version": 1,
        "claims": [
            {"name": f"claim_{i}", "value": f'"{i}"', "applications": ["portal"]}
            for i in range(30)
        ],
        "app_profiles": [{"client_id": "portal", "data": {"label": "Sales"}}],
    }
    path = tmp_path / "claims.json"
    path.write_text(json.dumps(document))
    call_command("import_claims", str(path), comment="From staging", stdout=io.StringIO())
    (revision,) = revisions()
    assert (revision.channel, revision.author, revision.comment) == (
        Channel.COMMAND,
        "import_claims",
        "From staging",
    )
    assert len(revision.diff["claims"]) == 30 and len(revision.diff["app_profiles"]) == 1
    # The same file again changes nothing: no revision.
    call_command("import_claims", str(path), stdout=io.StringIO())
    call_command("import_claims", str(path), dry_run=True, stdout=io.StringIO())
    assert len(revisions()) == 1


def test_import_okta_claims_records_with_its_command_name(tmp_path):
    path = tmp_path / "okta.json"
    path.write_text(
        json.dumps(
            [
                {
                    "name": "department",
                    "status": "ACTIVE",
                    "claimType": "IDENTITY",
                    "valueType": "EXPRESSION",
                    "value": "user.email",
                }
            ]
        )
    )
    call_command("import_okta_claims", str(path), stdout=io.StringIO())
    assert (latest().channel, latest().author) == (Channel.COMMAND, "import_okta_claims")


def test_a_comment_that_cannot_be_stored_is_refused_by_the_commands(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="at most 1000 characters"):
        call_command("record_claim_revision", comment="x" * 1001, stdout=io.StringIO())
    with pytest.raises(CommandError, match="NUL"):
        call_command("import_claims", str(tmp_path), comment="a\x00b", stdout=io.StringIO())


def test_record_claim_revision_records_changes_made_outside_django():
    claim("department")
    # As psql would: a write Django does not see (its change watch is bypassed).
    raw = connection.connection.cursor()
    raw.execute(f"UPDATE {ClaimDefinition._meta.db_table} SET value = '\"x\"'")
    raw.close()
    if not connection.get_autocommit():
        connection.commit()
    assert len(revisions()) == 1
    out = io.StringIO()
    call_command("record_claim_revision", comment="psql fix", stdout=out)
    assert "Recorded revision" in out.getvalue()
    revision = latest()
    assert (revision.channel, revision.author, revision.comment) == (
        Channel.COMMAND,
        "record_claim_revision",
        "psql fix",
    )
    assert revision.diff["claims"][0]["fields"] == [
        {"field": "value", "old": "user.email", "new": '"x"'}
    ]
    out = io.StringIO()
    call_command("record_claim_revision", stdout=out)
    assert "nothing recorded" in out.getvalue()
    assert len(revisions()) == 2


def test_an_outside_change_is_folded_into_the_next_recorded_revision():
    definition = claim("department")
    raw = connection.connection.cursor()
    raw.execute(f"UPDATE {ClaimDefinition._meta.db_table} SET description = 'by hand'")
    raw.close()
    definition.refresh_from_db()
    definition.enabled = False
    definition.save()
    fields = {f["field"] for f in latest().diff["claims"][0]["fields"]}
    assert fields == {"description", "enabled"}


def test_writes_inside_a_pending_change_record_nothing():
    from oidc_claims.preview.pending_change import pending_change

    claim("department")
    with pending_change():
        claim("other")
        ClaimDefinition.objects.all().delete()
    assert len(revisions()) == 1


def test_profiles_are_recorded_by_client_id():
    profile = AppProfileFactory(application=ApplicationFactory(client_id="portal"))
    profile.data = {"label": "Sales"}
    profile.save()
    assert latest().diff["app_profiles"] == [
        {"action": "changed", "key": "portal", "fields": [
            {"field": "data", "old": {}, "new": {"label": "Sales"}}
        ]}
    ]
    assert latest().touched == "\nportal\n"
    profile.application.delete()
    assert latest().diff["app_profiles"][0]["action"] == "removed"
    assert latest().snapshot["app_profiles"] == []


def test_the_factory_claim_is_recorded():
    ClaimDefinitionFactory(name="department")
    assert latest().snapshot["claims"][0]["name"] == "department"


def test_a_failed_recording_is_logged_and_the_next_revision_includes_the_change(
    monkeypatch, caplog, client
):
    from oidc_claims.revisions import recorder

    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    definition = claim("department")

    def broken(**kwargs):
        raise RuntimeError("cache and database on fire")

    monkeypatch.setattr(recorder, "export_configuration", broken)
    response = client.post(
        f"/admin/oidc_claims/claimdefinition/{definition.pk}/delete/", {"post": "yes"}
    )
    # The change is committed; the admin answers as usual, the failure is logged.
    assert response.status_code == 302
    assert not ClaimDefinition.objects.exists()
    assert "Recording a revision of the claim configuration failed" in caplog.text
    assert len(revisions()) == 1
    monkeypatch.undo()
    claim("other")
    names = {(c["name"], c["action"]) for c in latest().diff["claims"]}
    assert names == {("department", "removed"), ("other", "added")}


def test_a_script_attributes_its_changes_with_a_change_context():
    # The example project's seed_demo opens one around everything it writes.
    call_command("seed_demo", base_url="http://idp.example.com", stdout=io.StringIO())
    (revision,) = revisions()
    assert (revision.channel, revision.author, revision.comment) == (
        "command",
        "seed_demo",
        "Demo data",
    )
    assert revision.diff["claims"] and revision.diff["app_profiles"]
    call_command("seed_demo", base_url="http://idp.example.com", stdout=io.StringIO())
    assert len(revisions()) == 1  # seeding again changes nothing
