"""Retention of revisions (REVISIONS_KEEP, REVISIONS_KEEP_DAYS, checks E013 and E022), and
the revision that migrate records."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from oidc_claims.checks.revisions import check_revision_retention
from oidc_claims.models import ClaimDefinition
from oidc_claims.models.revisions import Revision
from oidc_claims.revisions.rollback import RollbackRefused, rollback_to
from tests.factories import ClaimDefinitionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def change(times: int) -> None:
    definition = ClaimDefinition.objects.first() or ClaimDefinitionFactory(name="department")
    for _ in range(times):
        definition.description += "x"
        definition.save()


def retention(settings, **values) -> None:
    settings.OIDC_CLAIMS = {**settings.OIDC_CLAIMS, **values}


def test_the_newest_revisions_are_kept(settings):
    retention(settings, REVISIONS_KEEP=3)
    change(6)
    kept = list(Revision.objects.order_by("pk"))
    assert len(kept) == 3
    assert kept[-1].snapshot["claims"][0]["description"] == "x" * 6
    assert [r.snapshot["claims"][0]["description"] for r in kept] == ["xxxx", "xxxxx", "xxxxxx"]


def test_without_a_limit_every_revision_is_kept(settings):
    retention(settings, REVISIONS_KEEP=None)
    change(12)
    assert Revision.objects.count() == 13  # the creation and 12 changes


def test_revisions_older_than_the_days_are_deleted_but_the_latest_stays(settings):
    retention(settings, REVISIONS_KEEP=None, REVISIONS_KEEP_DAYS=30)
    change(3)
    Revision.objects.update(created=timezone.now() - timedelta(days=31))
    latest = Revision.objects.order_by("-pk").first()
    recent = Revision.objects.order_by("pk").first()
    Revision.objects.filter(pk=recent.pk).update(created=timezone.now() - timedelta(days=29))
    change(1)
    remaining = set(Revision.objects.values_list("pk", flat=True))
    assert recent.pk in remaining and latest.pk not in remaining and len(remaining) == 2
    # The latest revision is kept however old: the next change is compared with it.
    retention(settings, REVISIONS_KEEP_DAYS=0)
    Revision.objects.update(created=timezone.now() - timedelta(days=400))
    change(1)
    assert Revision.objects.count() == 1


def test_a_pruned_revision_that_a_rollback_restored_leaves_the_rollback(settings):
    retention(settings, REVISIONS_KEEP=3)
    ClaimDefinitionFactory(name="department")
    target = Revision.objects.get()
    ClaimDefinition.objects.all().delete()
    rolled = rollback_to(target).revision
    assert rolled.restores == target
    change(2)
    assert not Revision.objects.filter(pk=target.pk).exists()
    rolled.refresh_from_db()
    assert rolled.restores is None


def test_a_rollback_to_a_pruned_revision_is_refused(settings):
    retention(settings, REVISIONS_KEEP=2)
    ClaimDefinitionFactory(name="department")
    target = Revision.objects.get()
    change(2)
    with pytest.raises(RollbackRefused, match="retention deleted it"):
        rollback_to(target)


@pytest.mark.parametrize(
    ("values", "bad"),
    [
        ({"REVISIONS_KEEP": 0}, "REVISIONS_KEEP'] = 0"),
        ({"REVISIONS_KEEP": -5}, "REVISIONS_KEEP'] = -5"),
        ({"REVISIONS_KEEP_DAYS": -1}, "REVISIONS_KEEP_DAYS'] = -1"),
        ({"REVISIONS_KEEP_DAYS": -0.5}, "REVISIONS_KEEP_DAYS'] = -0.5"),
    ],
)
def test_check_e022_names_a_retention_setting_out_of_range(settings, values, bad):
    retention(settings, **values)
    (error,) = check_revision_retention()
    assert error.id == "oidc_claims.E022"
    assert bad in error.msg and "REVISIONS_KEEP" in error.hint


@pytest.mark.parametrize(
    ("values", "bad"),
    [
        ({"REVISIONS_KEEP": "10"}, "REVISIONS_KEEP"),
        ({"REVISIONS_KEEP": True}, "REVISIONS_KEEP"),
        ({"REVISIONS_KEEP_DAYS": "30"}, "REVISIONS_KEEP_DAYS"),
    ],
)
def test_a_retention_setting_of_the_wrong_type_is_check_e013(settings, values, bad):
    from oidc_claims.checks.settings import check_settings

    retention(settings, **values)
    assert check_revision_retention() == []  # E013 says it, once
    (error,) = check_settings()
    assert error.id == "oidc_claims.E013" and bad in error.msg


@pytest.mark.parametrize(
    "values",
    [{}, {"REVISIONS_KEEP": None, "REVISIONS_KEEP_DAYS": None}, {"REVISIONS_KEEP_DAYS": 0.5}],
)
def test_the_documented_retention_values_pass_the_checks(settings, values):
    from oidc_claims.checks.settings import check_settings

    retention(settings, **values)
    assert check_revision_retention() == [] and check_settings() == []


def test_migrate_records_the_configuration_it_starts_from_once(settings):
    ClaimDefinitionFactory(name="department")
    Revision.objects.all().delete()
    call_command("migrate", "oidc_claims", verbosity=0)
    (first,) = Revision.objects.all()
    assert (first.channel, first.author) == ("orm", "migrate")
    assert first.comment == "The configuration when revisions started to be recorded."
    call_command("migrate", "oidc_claims", verbosity=0)
    assert Revision.objects.count() == 1
