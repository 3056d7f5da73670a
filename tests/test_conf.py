"""The OIDC_CLAIMS settings object: defaults, overrides, reload, and clear errors."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from oidc_claims.conf import DEFAULTS, claims_settings, import_from_string


def test_defaults_apply_when_unset():
    default = DEFAULTS["EXPRESSION_MAX_LENGTH"]
    with override_settings(OIDC_CLAIMS={}):
        assert getattr(claims_settings, "EXPRESSION_MAX_LENGTH") == default  # noqa: B009


def test_override_settings_is_seen_and_undone():
    with override_settings(OIDC_CLAIMS={"EXPRESSION_MAX_LENGTH": 10}):
        assert claims_settings.EXPRESSION_MAX_LENGTH == 10
    default = DEFAULTS["EXPRESSION_MAX_LENGTH"]
    assert getattr(claims_settings, "EXPRESSION_MAX_LENGTH") == default  # noqa: B009


def test_unknown_key_is_named():
    with (
        override_settings(OIDC_CLAIMS={"EXPRESION_MAX_LENGTH": 10}),
        pytest.raises(ImproperlyConfigured, match="EXPRESION_MAX_LENGTH"),
    ):
        claims_settings.EXPRESSION_MAX_LENGTH  # noqa: B018


def test_not_a_dict_is_refused():
    with (
        override_settings(OIDC_CLAIMS=["EXPRESSION_MAX_LENGTH"]),
        pytest.raises(ImproperlyConfigured, match="must be a dict"),
    ):
        claims_settings.EXPRESSION_MAX_LENGTH  # noqa: B018


def test_unknown_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError, match="NO_SUCH_SETTING"):
        claims_settings.NO_SUCH_SETTING  # noqa: B018


def test_import_from_string_names_the_setting():
    assert import_from_string("json.dumps", "X") is __import__("json").dumps
    with pytest.raises(ImproperlyConfigured, match=r"\['SOME_CLASS'\].*no\.such"):
        import_from_string("no.such.thing", "SOME_CLASS")


def test_a_value_read_before_an_override_is_not_kept():
    # Read values are kept as attributes for speed; a settings change must drop them.
    default = DEFAULTS["EXPRESSION_MAX_STEPS"]
    before = claims_settings.EXPRESSION_MAX_STEPS
    with override_settings(OIDC_CLAIMS={"EXPRESSION_MAX_STEPS": 7}):
        overridden = claims_settings.EXPRESSION_MAX_STEPS
    after = claims_settings.EXPRESSION_MAX_STEPS
    assert (before, overridden, after) == (default, 7, default)
