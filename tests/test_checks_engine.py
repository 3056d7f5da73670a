"""System checks of the claim engine: a shared version cache, safe USER_ATTRIBUTES."""

from __future__ import annotations

import pytest
from django.core import checks
from django.test import override_settings

from oidc_claims import checks as claims_checks

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DUMMY = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
REDIS = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379",
    },
}


def ids(messages: list[checks.CheckMessage]) -> list[str]:
    return [message.id for message in messages]


@pytest.mark.parametrize("caches", [LOCMEM, DUMMY])
def test_w004_process_local_cache_in_production(caches):
    with override_settings(DEBUG=False, CACHES=caches):
        messages = claims_checks.check_version_cache_shared()
    assert ids(messages) == ["oidc_claims.W001"]
    assert caches["default"]["BACKEND"] in messages[0].msg
    assert "RedisCache" in messages[0].hint


def test_w004_silent_with_debug():
    with override_settings(DEBUG=True, CACHES=LOCMEM):
        assert claims_checks.check_version_cache_shared() == []


def test_w004_follows_the_cache_alias_setting():
    with override_settings(DEBUG=False, CACHES=REDIS, OIDC_CLAIMS={"CACHE_ALIAS": "shared"}):
        assert claims_checks.check_version_cache_shared() == []
    with override_settings(DEBUG=False, CACHES=REDIS):
        assert ids(claims_checks.check_version_cache_shared()) == ["oidc_claims.W001"]


def test_w004_is_a_deployment_check():
    with override_settings(DEBUG=False, CACHES=LOCMEM):
        assert "oidc_claims.W001" not in ids(checks.run_checks(tags=[claims_checks.TAG]))
        deploy = checks.run_checks(tags=[claims_checks.TAG], include_deployment_checks=True)
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
