"""Compiled definitions: once per process per version, under a lock, incrementally."""

from __future__ import annotations

import threading

import pytest
from django.db import transaction

from oidc_claims.engine import definition_cache
from oidc_claims.engine.config_version import VersionReader
from oidc_claims.engine.context import ClaimContext
from oidc_claims.engine.definition_cache import DefinitionCache
from oidc_claims.engine.resolve import resolve
from oidc_claims.models import ClaimDefinition
from tests.factories import ApplicationFactory, ClaimDefinitionFactory, UserFactory


def names(cache: DefinitionCache) -> list[str]:
    return [d.name for d in cache.get() if d.enabled]


@pytest.mark.django_db
def test_a_cleared_process_cache_reloads():
    cache = DefinitionCache()
    ClaimDefinitionFactory(name="email")
    first = cache.get()
    cache.clear()
    again = cache.get()
    assert [d.name for d in again] == ["email"]
    assert again is not first


@pytest.mark.django_db
def test_nothing_is_loaded_while_the_version_is_unchanged(django_assert_num_queries):
    cache = DefinitionCache()
    ClaimDefinitionFactory(name="email")
    first = cache.get()
    with django_assert_num_queries(1):  # the version (no shared cache here)
        assert cache.get() is first
    assert cache.loads == 1


@pytest.mark.django_db
def test_only_a_changed_definition_is_compiled_again():
    cache = DefinitionCache()
    for index in range(5):
        ClaimDefinitionFactory(name=f"claim_{index}", value=f'"value {index}"')
    cache.get()
    assert cache.compiled == 5
    ClaimDefinition.objects.filter(name="claim_3").update(value='"changed"')
    ClaimDefinition.objects.filter(name="claim_4").update(description="no compiled input")
    definitions = {d.name: d for d in cache.get()}
    assert cache.compiled == 6
    assert definitions["claim_3"].evaluate(None) == "changed"
    assert definitions["claim_0"].evaluate(None) == "value 0"


@pytest.mark.django_db
def test_disabled_definitions_are_not_compiled():
    cache = DefinitionCache()
    ClaimDefinitionFactory(name="on", value='"x"')
    ClaimDefinitionFactory(name="off", value='"y"', enabled=False)
    assert {d.name: d.enabled for d in cache.get()} == {"off": False, "on": True}
    assert cache.compiled == 1
    ClaimDefinition.objects.filter(name="off").update(enabled=True)
    assert names(cache) == ["off", "on"]
    assert cache.compiled == 2


class FixedVersion(VersionReader):
    """A reader whose version the test sets."""

    version = "v1"

    def current(self, using: str = "default") -> str:
        return self.version


def test_a_recompile_storm_compiles_once_and_serves_the_previous_version(monkeypatch):
    reader = FixedVersion()
    cache = DefinitionCache(reader)
    release = threading.Event()
    started = threading.Event()

    def load(version, evaluator_for=None):
        if version == "v2":
            started.set()
            release.wait(10)
        return (version,)

    monkeypatch.setattr(definition_cache, "load_definitions", load)
    assert cache.get() == ("v1",)
    reader.version = "v2"
    results: list = []
    compiling = threading.Thread(target=lambda: results.append(cache.get()))
    compiling.start()
    assert started.wait(10)
    # While one thread compiles v2, eight more requests are served v1 without waiting.
    waiting = [threading.Thread(target=lambda: results.append(cache.get())) for _ in range(8)]
    for thread in waiting:
        thread.start()
    for thread in waiting:
        thread.join(10)
    assert results == [("v1",)] * 8
    release.set()
    compiling.join(10)
    assert results[-1] == ("v2",)
    assert cache.get() == ("v2",)
    assert cache.loads == 2


def test_the_first_load_is_waited_for_and_done_once(monkeypatch):
    cache = DefinitionCache(FixedVersion())
    release = threading.Event()

    def load(version, evaluator_for=None):
        release.wait(10)
        return (version,)

    monkeypatch.setattr(definition_cache, "load_definitions", load)
    results: list = []
    threads = [threading.Thread(target=lambda: results.append(cache.get())) for _ in range(8)]
    for thread in threads:
        thread.start()
    release.set()
    for thread in threads:
        thread.join(10)
    assert results == [("v1",)] * 8  # nobody had a previous version to be served
    assert cache.loads == 1


@pytest.mark.django_db(transaction=True)
def test_uncommitted_rows_stay_private_to_their_transaction():
    cache = DefinitionCache(VersionReader())
    ClaimDefinitionFactory(name="email")
    assert names(cache) == ["email"]
    with pytest.raises(RuntimeError), transaction.atomic():
        ClaimDefinition.objects.update(name="mail")
        assert names(cache) == ["mail"]  # the transaction sees its own change
        raise RuntimeError
    assert names(cache) == ["email"]  # and nobody kept what was rolled back


@pytest.mark.django_db
def test_application_selection_change_reaches_resolve():
    user, app, other = UserFactory(), ApplicationFactory(), ApplicationFactory()
    claim = ClaimDefinitionFactory(name="email")

    def claims():
        context = ClaimContext(user, app, ["openid"], "authorization_code")
        return resolve(context, "id_token").claims

    assert "email" in claims()
    claim.applications.add(other)
    assert claims() == {}


@pytest.mark.django_db
def test_one_request_keeps_one_configuration_snapshot():
    user, app = UserFactory(), ApplicationFactory()
    claim = ClaimDefinitionFactory(name="email", include_in_access_token=True)
    context = ClaimContext(user, app, ["openid"], "authorization_code")
    id_token = resolve(context, "id_token").claims
    claim.delete()
    assert resolve(context, "access_token").claims == id_token


@pytest.mark.django_db
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
