"""Users with chosen permissions and access tokens from the real token endpoint, for API tests."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.contrib.auth.models import Permission
from django.test import Client

from tests.factories import CLIENT_SECRET, ApplicationFactory, AppProfileFactory, UserFactory
from tests.tokens_support import CLAIMS_API_AUDIENCE

CLAIM_PERMS = [
    "view_claimdefinition",
    "add_claimdefinition",
    "change_claimdefinition",
    "delete_claimdefinition",
]
PROFILE_PERMS = ["view_appprofile", "add_appprofile", "change_appprofile", "delete_appprofile"]
CLAIM_TEST_PERMS = ["view_claimtest", "add_claimtest", "change_claimtest", "delete_claimtest"]
ALL_PERMS = [*CLAIM_PERMS, *PROFILE_PERMS, *CLAIM_TEST_PERMS, "preview_token"]


def user_with(*codenames: str, **fields: Any) -> Any:
    """A user holding the oidc_claims permissions named (e.g. "view_claimdefinition")."""
    user = UserFactory(**fields)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="oidc_claims", codename__in=codenames)
    )
    assert user.user_permissions.count() == len(codenames), codenames
    return user


def api_client_application(default_audience: str = "", **fields: Any) -> Any:
    """A client that may request tokens for the claims API (RFC 8707 ``resource``), whose
    tokens without a resource are for ``default_audience`` (else its client id)."""
    application = ApplicationFactory(client_secret=CLIENT_SECRET, **fields)
    AppProfileFactory(
        application=application,
        allowed_resources=CLAIMS_API_AUDIENCE,
        access_token_audience=default_audience,
    )
    return application


def issue_token(
    user: Any,
    scope: str,
    resource: str | None = CLAIMS_API_AUDIENCE,
    default_audience: str = "",
) -> str:
    """An access token for ``user`` with ``scope``: the authorization code flow of this IdP,
    for the claims API unless another ``resource`` (or None) is asked for."""
    application = api_client_application(default_audience)
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
            "client_secret": CLIENT_SECRET,
            **({"resource": resource} if resource else {}),
        },
    )
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


def issue_client_credentials_token(scope: str) -> str:
    """An access token issued to a client alone: no user, so no user permissions."""
    application = api_client_application(
        authorization_grant_type="client-credentials", redirect_uris=""
    )
    response = Client().post(
        "/o/token/",
        {
            "grant_type": "client_credentials",
            "scope": scope,
            "resource": CLAIMS_API_AUDIENCE,
            "client_id": application.client_id,
            "client_secret": CLIENT_SECRET,
        },
    )
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


def gold(claim="tier", value="gold", destination="id_token"):
    """A claim test's expectation: ``claim`` equals ``value`` in ``destination``."""
    return {"destination": destination, "claim": claim, "operator": "equals", "value": value}
