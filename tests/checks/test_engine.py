"""System checks of the claim engine: version cache timeouts, safe USER_ATTRIBUTES."""

from __future__ import annotations

import pytest
from django.core import checks
from django.test import override_settings

from oidc_claims.checks import provider as claims_checks

REDIS = "django.core.cache.backends.redis.RedisCache"
TIMEOUTS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


def ids(messages: list[checks.CheckMessage]) -> list[str]:
    return [message.id for message in messages]


def redis(options: dict | None = None) -> dict:
    cache = {"BACKEND": REDIS, "LOCATION": "redis://127.0.0.1:6379"}
    if options is not None:
        cache["OPTIONS"] = options
    return cache


@pytest.mark.parametrize(
    ("options", "missing"),
    [
        (None, "socket_connect_timeout and socket_timeout"),
        ({"socket_timeout": 0.5}, "socket_connect_timeout"),
        ({"socket_connect_timeout": 0.5, "socket_timeout": None}, "socket_timeout"),
    ],
)
def test_w001_redis_version_cache_without_timeouts(options, missing):
    with override_settings(CACHES={"default": redis(options)}):
        messages = claims_checks.check_version_cache_timeouts()
    assert ids(messages) == ["oidc_claims.W001"]
    assert f"without {missing}:" in messages[0].msg
    assert "'socket_connect_timeout': 0.5, 'socket_timeout': 0.5" in messages[0].hint


@pytest.mark.parametrize(
    "caches",
    [
        {"default": redis(TIMEOUTS)},
        {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache"}},
    ],
)
def test_w001_silent_with_timeouts_or_without_redis(caches):
    with override_settings(CACHES=caches):
        assert claims_checks.check_version_cache_timeouts() == []


def test_w001_follows_the_cache_alias_setting():
    caches = {"default": redis(), "claims": redis(TIMEOUTS)}
    with override_settings(CACHES=caches, OIDC_CLAIMS={"CACHE_ALIAS": "claims"}):
        assert claims_checks.check_version_cache_timeouts() == []
    with override_settings(CACHES=caches):
        assert ids(claims_checks.check_version_cache_timeouts()) == ["oidc_claims.W001"]


def test_w001_is_a_deployment_check():
    with override_settings(CACHES={"default": redis()}):
        assert "oidc_claims.W001" not in ids(
            checks.run_checks(tags=[claims_checks.TAG], databases=[])
        )
        deploy = checks.run_checks(
            tags=[claims_checks.TAG], include_deployment_checks=True, databases=[]
        )
    assert "oidc_claims.W001" in ids(deploy)


def test_e004_accepts_plain_paths():
    with override_settings(OIDC_CLAIMS={"USER_ATTRIBUTES": {"department": "profile.department"}}):
        assert claims_checks.check_user_attributes() == []


@pytest.mark.parametrize(
    ("attributes", "named"),
    [
        ({"secret": "password"}, "secret"),
        ({"hash": "profile.password_hash"}, "hash"),
        ({"state": "_state.db"}, "state"),
        ({"_hidden": "email"}, "_hidden"),
        ({"checker": "check_password"}, "checker"),
        ({"full": "get_full_name"}, "full"),
        ({"email": "profile.work_email"}, "email"),
    ],
)
def test_e004_refused_user_attributes(attributes, named):
    with override_settings(OIDC_CLAIMS={"USER_ATTRIBUTES": attributes}):
        messages = claims_checks.check_user_attributes()
    assert ids(messages) == ["oidc_claims.E004"]
    assert repr(named) in messages[0].msg
    assert "USER_ATTRIBUTES" in messages[0].msg


def test_e004_user_attributes_must_be_a_dict():
    with override_settings(OIDC_CLAIMS={"USER_ATTRIBUTES": ["department"]}):
        assert ids(claims_checks.check_user_attributes()) == ["oidc_claims.E004"]
