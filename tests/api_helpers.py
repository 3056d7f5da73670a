"""Users with chosen permissions and access tokens from the real token endpoint, for API tests."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.contrib.auth.models import Permission
from django.test import Client

from tests.factories import ApplicationFactory, UserFactory

CLAIM_PERMS = [
    "view_claimdefinition",
    "add_claimdefinition",
    "change_claimdefinition",
    "delete_claimdefinition",
]
PROFILE_PERMS = ["view_appprofile", "add_appprofile", "change_appprofile", "delete_appprofile"]
ALL_PERMS = [*CLAIM_PERMS, *PROFILE_PERMS, "preview_token"]


def user_with(*codenames: str, **fields: Any) -> Any:
    """A user holding the oidc_claims permissions named (e.g. "view_claimdefinition")."""
    user = UserFactory(**fields)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="oidc_claims", codename__in=codenames)
    )
    assert user.user_permissions.count() == len(codenames), codenames
    return user


def issue_token(user: Any, scope: str) -> str:
    """An access token for ``user`` with ``scope``: the authorization code flow of this IdP."""
    application = ApplicationFactory(client_secret="secret")
    redirect_uri = application.redirect_uris
    browser = Client()
    browser.force_login(user)
    authorize = browser.get(
        "/o/authorize/",
        {
            "response_type": "code",
            "client_id": application.client_id,
            "redirect_uri": redirect_uri,
            "scope": scope,
            "state": "s",
        },
    )
    assert authorize.status_code == 302, authorize.content
    code = parse_qs(urlsplit(authorize["Location"]).query)["code"][0]
    response = Client().post(
        "/o/token/",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "client_id": application.client_id,
            "client_secret": "secret",
        },
    )
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


def issue_client_credentials_token(scope: str) -> str:
    """An access token issued to a client alone: no user, so no user permissions."""
    application = ApplicationFactory(
        authorization_grant_type="client-credentials", client_secret="secret", redirect_uris=""
    )
    response = Client().post(
        "/o/token/",
        {
            "grant_type": "client_credentials",
            "scope": scope,
            "client_id": application.client_id,
            "client_secret": "secret",
        },
    )
    assert response.status_code == 200, response.content
    return response.json()["access_token"]
