"""The protocol-wiring system checks fire when their configuration is wrong, and only then."""

from __future__ import annotations

from django.conf import settings
from django.test import override_settings

from oidc_claims.checks import protocol as checks_protocol


def dot_settings(**overrides):
    return override_settings(OAUTH2_PROVIDER={**settings.OAUTH2_PROVIDER, **overrides})


def test_w005_quiet_with_the_openid_scopes_backend():
    assert checks_protocol.check_standard_scopes() == []


def test_w005_names_the_missing_standard_scopes():
    with dot_settings(
        SCOPES_BACKEND_CLASS="oauth2_provider.scopes.SettingsScopes",
        SCOPES={"openid": "OpenID", "profile": "Profile", "email": "Email"},
    ):
        messages = checks_protocol.check_standard_scopes()
    assert [message.id for message in messages] == ["oidc_claims.W005"]
    assert "address, phone" in messages[0].msg
    assert "oidc_claims.oauth.scopes.OpenIDScopes" in messages[0].hint


def test_w005_quiet_when_the_site_lists_the_standard_scopes():
    scopes = {name: name for name in ("openid", "profile", "email", "address", "phone")}
    with dot_settings(SCOPES_BACKEND_CLASS="oauth2_provider.scopes.SettingsScopes", SCOPES=scopes):
        assert checks_protocol.check_standard_scopes() == []
