"""Compiled definitions are cached per process and reloaded when the shared version changes."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.test import override_settings

from oidc_claims.config_version import bump_config_version, get_config_version
from oidc_claims.context import ClaimContext
from oidc_claims.definition_cache import DefinitionCache
from oidc_claims.engine import resolve
from oidc_claims.models import ClaimDefinition
from tests.factories import ApplicationFactory, ClaimDefinitionFactory, UserFactory

pytestmark = pytest.mark.django_db

VERSION_KEY = "oidc_claims:config-version"


def names(cache: DefinitionCache) -> list[str]:
    return [d.name for d in cache.get() if d.enabled]


def test_version_is_created_when_the_cache_has_none():
    assert caches["default"].get(VERSION_KEY) is None
    version = get_config_version()
    assert caches["default"].get(VERSION_KEY) == version
    assert get_config_version() == version


def test_bump_sets_a_fresh_version():
    before = get_config_version()
    bump_config_version()
    assert get_config_version() != before


def test_two_processes_sharing_a_cache_see_a_change():
    process_a, process_b = DefinitionCache(), DefinitionCache()
    claim = ClaimDefinitionFactory(name="email")
    assert names(process_a) == names(process_b) == ["email"]
    claim.name = "mail"
    claim.save()  # through "process A"
    assert names(process_b) == ["mail"]
    assert names(process_a) == ["mail"]


def test_a_cleared_process_cache_reloads():
    cache = DefinitionCache()
    ClaimDefinitionFactory(name="email")
    first = cache.get()
    cache.clear()
    again = cache.get()
    assert [d.name for d in again] == ["email"]
    assert again is not first


def test_nothing_is_loaded_while_the_version_is_unchanged(django_assert_num_queries):
    cache = DefinitionCache()
    ClaimDefinitionFactory(name="email")
    first = cache.get()
    with django_assert_num_queries(0):
        assert cache.get() is first


def test_a_change_made_behind_the_cache_is_seen_after_a_bump():
    cache = DefinitionCache()
    ClaimDefinitionFactory(name="email")
    cache.get()
    # A raw SQL change (no signal, no queryset method) is invisible until the version moves.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {ClaimDefinition._meta.db_table} SET name = %s", ["mail"])
    assert names(cache) == ["email"]
    bump_config_version()
    assert names(cache) == ["mail"]


@override_settings(
    OIDC_CLAIMS={"CACHE_ALIAS": "claims"},
    CACHES={
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "d"},
        "claims": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "c"},
    },
)
def test_the_version_lives_in_the_configured_cache_alias():
    ClaimDefinitionFactory(name="email")
    assert caches["claims"].get(VERSION_KEY) is not None
    assert caches["default"].get(VERSION_KEY) is None


def test_a_dummy_cache_reloads_every_time():
    with override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    ):
        cache = DefinitionCache()
        ClaimDefinitionFactory(name="email")
        assert cache.get() is not cache.get()


def version_changes(action) -> bool:
    before = get_config_version()
    action()
    return get_config_version() != before


def test_every_kind_of_write_bumps_the_version():
    app = ApplicationFactory()
    claim = ClaimDefinitionFactory(name="email")
    assert version_changes(lambda: ClaimDefinitionFactory(name="other"))
    assert version_changes(claim.save)
    assert version_changes(lambda: claim.applications.add(app))
    assert version_changes(lambda: claim.applications.remove(app))
    assert version_changes(lambda: claim.applications.set([app]))
    assert version_changes(lambda: claim.applications.clear())
    assert version_changes(lambda: app.oidc_claim_definitions.add(claim))
    assert version_changes(
        lambda: ClaimDefinition.objects.filter(pk=claim.pk).update(enabled=False)
    )
    assert version_changes(
        lambda: ClaimDefinition.objects.bulk_create([ClaimDefinition(name="bulk", value="'x'")])
    )
    assert version_changes(lambda: ClaimDefinition.objects.bulk_update([claim], ["description"]))
    assert version_changes(lambda: ClaimDefinition.objects.filter(name="bulk").delete())
    assert version_changes(claim.delete)


def test_the_version_is_bumped_again_when_the_transaction_commits(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        ClaimDefinitionFactory(name="email")
        during = get_config_version()
    assert callbacks  # a second bump waits for the commit
    assert get_config_version() != during


def test_application_selection_change_reaches_resolve():
    user, app, other = UserFactory(), ApplicationFactory(), ApplicationFactory()
    claim = ClaimDefinitionFactory(name="email")

    def claims():
        context = ClaimContext(user, app, ["openid"], "authorization_code")
        return resolve(context, "id_token").claims

    assert "email" in claims()
    claim.applications.add(other)
    assert claims() == {}


def test_one_request_keeps_one_configuration_snapshot():
    user, app = UserFactory(), ApplicationFactory()
    claim = ClaimDefinitionFactory(name="email", include_in_access_token=True)
    context = ClaimContext(user, app, ["openid"], "authorization_code")
    id_token = resolve(context, "id_token").claims
    claim.delete()
    assert resolve(context, "access_token").claims == id_token


def test_deleting_the_only_selected_application_disables_the_claim(caplog):
    only, shared_a, shared_b = ApplicationFactory(), ApplicationFactory(), ApplicationFactory()
    private = ClaimDefinitionFactory(name="secret_level", applications=[only])
    shared = ClaimDefinitionFactory(name="team", applications=[only, shared_b])
    unrelated = ClaimDefinitionFactory(name="email", applications=[shared_a])
    only.delete()
    private.refresh_from_db()
    shared.refresh_from_db()
    unrelated.refresh_from_db()
    # Without this, "no application selected" would mean "every application".
    assert private.enabled is False
    assert shared.enabled is True
    assert list(shared.applications.all()) == [shared_b]
    assert unrelated.enabled is True
    assert "secret_level" in caplog.text
