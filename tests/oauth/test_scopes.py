"""The standard OpenID Connect scopes exist out of the box; unknown scopes beside openid are
dropped unless the site chooses to refuse them (IGNORE_UNKNOWN_SCOPES)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client, override_settings
from oauth2_provider.models import get_grant_model
from oauth2_provider.scopes import get_scopes_backend

from oidc_claims.oauth.scopes import STANDARD_SCOPES
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db


def authorize(scope: str) -> dict[str, list[str]]:
    application = ApplicationFactory()
    browser = Client()
    browser.force_login(UserFactory())
    response = browser.get(
        "/o/authorize/",
        {
            "response_type": "code",
            "client_id": application.client_id,
            "redirect_uri": application.redirect_uris,
            "scope": scope,
            "state": "s",
        },
    )
    assert response.status_code == 302, response.content
    return parse_qs(urlsplit(response["Location"]).query)


def test_standard_scopes_are_available_with_the_sites_descriptions_first():
    scopes = get_scopes_backend().get_all_scopes()
    assert set(STANDARD_SCOPES) <= set(scopes)
    # The example project describes profile itself; address comes from the app.
    assert scopes["profile"] == "Your name and username"
    assert scopes["address"] == STANDARD_SCOPES["address"]


def test_an_unknown_scope_beside_openid_is_dropped():
    params = authorize("openid address no-such-scope")
    grant = get_grant_model().objects.get(code=params["code"][0])
    assert grant.scope.split() == ["openid", "address"]


@override_settings(OIDC_CLAIMS={"IGNORE_UNKNOWN_SCOPES": False})
def test_a_site_may_refuse_unknown_scopes():
    params = authorize("openid no-such-scope")
    assert params["error"] == ["invalid_scope"] and params["state"] == ["s"]


def test_without_openid_an_unknown_scope_is_refused():
    assert authorize("no-such-scope")["error"] == ["invalid_scope"]
