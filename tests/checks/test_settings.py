"""Checks E013 (OIDC_CLAIMS keys and types) and E014 (INSTALLED_APPS order)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from oidc_claims.checks.settings import (
    check_installed_apps_order,
    check_settings,
    installed_apps_order_problem,
    type_problem,
)
from oidc_claims.conf import DEFAULTS
from tests.paths import ROOT


def _messages(settings, value):
    settings.OIDC_CLAIMS = value
    return [(m.id, m.msg, m.hint) for m in check_settings()]


def test_the_defaults_and_the_test_settings_pass(settings):
    assert check_settings() == []
    assert _messages(settings, dict(DEFAULTS)) == []


@pytest.mark.parametrize("name", sorted(DEFAULTS))
def test_every_default_has_the_type_its_setting_accepts(name):
    assert type_problem(name, DEFAULTS[name]) is None


def test_an_unknown_key_is_named_with_the_closest_known_one(settings):
    [(check_id, msg, hint)] = _messages(settings, {"CLAIM_MAX_BYTE": 10})
    assert check_id == "oidc_claims.E013"
    assert msg == (
        "OIDC_CLAIMS['CLAIM_MAX_BYTE'] is not a setting of oidc_claims: "
        "reading the settings will fail."
    )
    assert hint.startswith("Did you mean 'CLAIM_MAX_BYTES'? Known keys: ACCESS_TOKEN_AUDIENCE, ")


def test_an_unknown_key_far_from_any_gets_the_list_only(settings):
    [(_, _, hint)] = _messages(settings, {"ZZZ": 1})
    assert hint.startswith("Known keys: ")


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("CLAIM_MAX_BYTES", "16384", "expected int"),
        ("CLAIM_MAX_BYTES", True, "expected int"),
        ("CLAIM_MAX_BYTES", 1.5, "expected int"),
        ("IGNORE_UNKNOWN_SCOPES", 1, "expected bool"),
        ("VERSION_RECHECK_SECONDS", "1", "expected None or float or int"),
        ("VERSION_RECHECK_SECONDS", False, "expected None or float or int"),
        ("PKCE_METHODS", "S256", "expected list or tuple"),
        ("ACCESS_TOKEN_FORMAT", None, "expected str"),
        ("USER_ATTRIBUTES", ["department"], "expected dict"),
        ("RESOURCE_SERVER_AUDIENCE", 5, "expected None or list or str or tuple"),
        ("INTROSPECTION_POLICY", 3, "expected str"),
    ],
)
def test_a_wrong_type_names_the_value_and_the_expected_type(settings, name, value, expected):
    [(check_id, msg, hint)] = _messages(settings, {name: value})
    assert check_id == "oidc_claims.E013"
    assert msg == f"OIDC_CLAIMS[{name!r}] = {value!r} has the wrong type: {expected}."
    assert hint == (
        f"Set OIDC_CLAIMS[{name!r}] to a value like the default, {DEFAULTS[name]!r}, "
        "or remove the key."
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("VERSION_RECHECK_SECONDS", None),
        ("VERSION_RECHECK_SECONDS", 2),
        ("RESOURCE_SERVER_AUDIENCE", ["https://api.example.com/"]),
        ("RESOURCE_SERVER_AUDIENCE", "https://api.example.com/"),
        ("PKCE_METHODS", ["S256", "plain"]),
        ("INTROSPECTION_POLICY", lambda caller, application, audiences: True),
        ("INTROSPECTION_POLICY", "authenticated"),
        ("ACCESS_TOKEN_AUDIENCE", "https://api.example.com/"),
    ],
)
def test_values_of_an_accepted_type_pass(settings, name, value):
    assert _messages(settings, {name: value}) == []


def test_every_problem_is_reported_at_once(settings):
    ids = [m[0] for m in _messages(settings, {"NOPE": 1, "CLAIM_MAX_BYTES": "x", "ALSO_NOPE": 2})]
    assert ids == ["oidc_claims.E013"] * 3


def test_a_settings_value_that_is_not_a_dict(settings):
    [(check_id, msg, _)] = _messages(settings, ["CLAIM_MAX_BYTES"])
    assert (check_id, msg) == ("oidc_claims.E013", "settings.OIDC_CLAIMS is a list, not a dict.")


def test_the_order_of_installed_apps():
    assert check_installed_apps_order() == []
    assert installed_apps_order_problem(["oauth2_provider", "x", "oidc_claims"]) is None
    assert installed_apps_order_problem(["oidc_claims", "oauth2_provider"]) == (
        "'oidc_claims' comes before 'oauth2_provider' in INSTALLED_APPS"
    )
    assert installed_apps_order_problem(["oidc_claims"]) == (
        "'oauth2_provider' is not in INSTALLED_APPS"
    )


def test_a_site_listing_oidc_claims_first_is_told_the_fix_at_startup():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings_wrong_app_order"}
    result = subprocess.run(
        [sys.executable, "-m", "django", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "AlreadyRegistered" not in result.stderr
    assert (
        "ImproperlyConfigured: 'oidc_claims' comes before 'oauth2_provider' in INSTALLED_APPS. "
        "List 'oauth2_provider' in INSTALLED_APPS, before 'oidc_claims'."
    ) in result.stderr
