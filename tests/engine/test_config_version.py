"""The configuration version: the database is the authority, a shared cache only saves queries."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test import override_settings

from oidc_claims.engine import config_version
from oidc_claims.engine.change_watch import watch_claim_writes
from oidc_claims.engine.config_version import VersionReader, bump, configuration_changed
from oidc_claims.engine.definition_cache import DefinitionCache
from oidc_claims.models import AppProfile, ClaimDefinition
from oidc_claims.models.configuration_version import ConfigurationVersion, read_version
from tests.cache_backends import DOWN, SHARED, DownCache
from tests.factories import ApplicationFactory, AppProfileFactory, ClaimDefinitionFactory

THROUGH = ClaimDefinition.applications.through


def names(cache: DefinitionCache) -> list[str]:
    return [d.name for d in cache.get() if d.enabled]


def sql(statement: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def outside_django(statement: str, params: list) -> None:
    """SQL as psql or another program would run it: no Django code sees it."""
    connection.execute_wrappers.remove(watch_claim_writes)
    try:
        sql(statement, params)
    finally:
        connection.execute_wrappers.insert(0, watch_claim_writes)


def changes_version(action) -> bool:
    before = read_version()
    action()
    return read_version() != before


@pytest.mark.django_db
def test_every_channel_changes_the_database_version():
    app, other = ApplicationFactory(), ApplicationFactory()
    claim = ClaimDefinitionFactory(name="email")
    profile = AppProfileFactory(application=app)
    table = ClaimDefinition._meta.db_table
    channels = [
        lambda: ClaimDefinitionFactory(name="other"),
        claim.save,
        lambda: claim.applications.add(app),
        lambda: claim.applications.remove(app),
        lambda: claim.applications.set([other]),
        lambda: claim.applications.clear(),
        lambda: app.oidc_claim_definitions.add(claim),
        lambda: THROUGH.objects.all().delete(),
        lambda: THROUGH.objects.bulk_create([THROUGH(claimdefinition=claim, application=app)]),
        lambda: ClaimDefinition.objects.filter(pk=claim.pk).update(enabled=False),
        lambda: ClaimDefinition.objects.bulk_create([ClaimDefinition(name="bulk", value="'x'")]),
        lambda: ClaimDefinition.objects.bulk_update([claim], ["description"]),
        lambda: ClaimDefinition.objects.filter(name="bulk").delete(),
        lambda: AppProfile.objects.filter(pk=profile.pk).update(data={"label": "L"}),
        profile.delete,
        lambda: sql(f"UPDATE {table} SET description = %s", ["raw"]),
        lambda: outside_django(f"UPDATE {table} SET description = %s", ["psql"]),
        claim.delete,
        bump,
    ]
    for index, channel in enumerate(channels):
        assert changes_version(channel), f"channel {index} left the version unchanged"


@pytest.mark.django_db
def test_reading_leaves_the_version_alone():
    ClaimDefinitionFactory(name="email")
    assert not changes_version(lambda: list(ClaimDefinition.objects.all()))
    assert not changes_version(DefinitionCache().get)


@pytest.mark.django_db
def test_a_change_outside_django_reaches_the_next_read_without_a_shared_cache():
    # The default local-memory cache: every read asks the database.
    cache = DefinitionCache(VersionReader())
    ClaimDefinitionFactory(name="email")
    assert names(cache) == ["email"]
    outside_django(f"UPDATE {ClaimDefinition._meta.db_table} SET name = %s", ["mail"])
    assert names(cache) == ["mail"]


@pytest.mark.django_db
def test_a_missing_version_row_is_recreated_by_the_next_change():
    ConfigurationVersion.objects.all().delete()
    assert read_version() == "none"
    ClaimDefinitionFactory(name="email")
    assert read_version() not in ("", "none")


# --- With a shared cache: the stamp spares the query -----------------------------------------


@pytest.fixture
def shared_cache():
    with override_settings(CACHES=SHARED):
        yield


@pytest.mark.usefixtures("shared_cache")
@pytest.mark.django_db(transaction=True)
def test_no_query_while_nothing_changed(django_assert_num_queries):
    cache = DefinitionCache(VersionReader())
    ClaimDefinitionFactory(name="email")
    assert names(cache) == ["email"]
    never_recheck = override_settings(OIDC_CLAIMS={"VERSION_RECHECK_SECONDS": None})
    with never_recheck, django_assert_num_queries(0):
        assert names(cache) == ["email"]


@pytest.mark.usefixtures("shared_cache")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda claim: claim.save(update_fields=["name"]), id="save"),
        pytest.param(
            lambda claim: ClaimDefinition.objects.filter(pk=claim.pk).update(name="mail"),
            id="queryset-update",
        ),
        pytest.param(
            lambda claim: sql(f"UPDATE {ClaimDefinition._meta.db_table} SET name = 'mail'", []),
            id="raw-sql",
        ),
    ],
)
def test_a_change_through_django_reaches_every_process_at_once(change):
    process_a, process_b = DefinitionCache(VersionReader()), DefinitionCache(VersionReader())
    claim = ClaimDefinitionFactory(name="email")
    assert names(process_a) == names(process_b) == ["email"]
    with override_settings(OIDC_CLAIMS={"VERSION_RECHECK_SECONDS": None}):
        claim.name = "mail"
        change(claim)  # announced in the shared cache when it commits
        assert names(process_b) == ["mail"]
        assert names(process_a) == ["mail"]


@pytest.mark.usefixtures("shared_cache")
@pytest.mark.django_db(transaction=True)
def test_a_change_outside_django_is_seen_within_the_recheck_interval(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(config_version, "monotonic", lambda: now[0])
    cache = DefinitionCache(VersionReader())
    ClaimDefinitionFactory(name="email")
    assert names(cache) == ["email"]
    outside_django(f"UPDATE {ClaimDefinition._meta.db_table} SET name = %s", ["mail"])
    with override_settings(OIDC_CLAIMS={"VERSION_RECHECK_SECONDS": 2}):
        now[0] += 1.9
        assert names(cache) == ["email"]  # the stamp holds: no query
        now[0] += 0.1
        assert names(cache) == ["mail"]
    outside_django(f"UPDATE {ClaimDefinition._meta.db_table} SET name = %s", ["e-mail"])
    with override_settings(OIDC_CLAIMS={"VERSION_RECHECK_SECONDS": 0}):
        assert names(cache) == ["e-mail"]  # 0: every read asks the database


@pytest.mark.usefixtures("shared_cache")
@pytest.mark.django_db(transaction=True)
def test_bump_announces_a_change_made_outside_django():
    cache = DefinitionCache(VersionReader())
    ClaimDefinitionFactory(name="email")
    assert names(cache) == ["email"]
    with override_settings(OIDC_CLAIMS={"VERSION_RECHECK_SECONDS": None}):
        outside_django(f"UPDATE {ClaimDefinition._meta.db_table} SET name = %s", ["mail"])
        assert names(cache) == ["email"]
        bump()
        assert names(cache) == ["mail"]


@pytest.mark.usefixtures("shared_cache")
@pytest.mark.django_db(transaction=True)
def test_one_announcement_per_transaction_and_only_after_the_commit():
    received = []

    def receiver(**kwargs):
        received.append(read_version())

    configuration_changed.connect(receiver)
    try:
        with transaction.atomic():
            for index in range(5):
                ClaimDefinitionFactory(name=f"claim_{index}")
            assert received == []
        assert received == [read_version()]
        with pytest.raises(RuntimeError), transaction.atomic():
            ClaimDefinitionFactory(name="rolled_back")
            raise RuntimeError
        assert len(received) == 1
    finally:
        configuration_changed.disconnect(receiver)


# --- A cache outage degrades to the database --------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_cache_outage_reads_the_database(django_assert_num_queries, monkeypatch):
    # The process's own reader: the announcement of a write goes through it.
    monkeypatch.setattr(config_version.default_reader, "_cache_down_until", 0.0)
    ClaimDefinitionFactory(name="email")
    cache = DefinitionCache(config_version.default_reader)
    config_version.default_reader.forget()
    DownCache.calls = 0
    with override_settings(CACHES=DOWN):
        assert names(cache) == ["email"]
        assert DownCache.calls == 1
        # For CACHE_RETRY_SECONDS the cache is left alone (no timeout per request): the
        # change is announced nowhere, and every read asks the database.
        ClaimDefinition.objects.update(name="mail")
        with django_assert_num_queries(3):  # the version, then the new definitions
            assert names(cache) == ["mail"]
        with django_assert_num_queries(1):
            assert names(cache) == ["mail"]
        assert DownCache.calls == 1


@pytest.mark.django_db(transaction=True)
def test_the_cache_is_tried_again_after_the_retry_period(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(config_version, "monotonic", lambda: now[0])
    ClaimDefinitionFactory(name="email")
    reader = VersionReader()
    with override_settings(CACHES=DOWN):
        reader.current()
    with override_settings(CACHES=SHARED, OIDC_CLAIMS={"VERSION_RECHECK_SECONDS": None}):
        reader.current()
        assert reader.database_reads == 2  # still in the retry period: no stamp kept
        now[0] += config_version.CACHE_RETRY_SECONDS
        reader.current()
        reads = reader.database_reads
        reader.current()
        assert reader.database_reads == reads  # the cache is back: the stamp spares the query
