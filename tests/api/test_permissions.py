"""Who may use the claims API: sessions with CSRF, scoped access tokens, model permissions."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest
from django.middleware.csrf import _get_new_csrf_string
from oauth2_provider.models import get_access_token_model
from rest_framework.test import APIClient

from oidc_claims.models import ClaimDefinition
from tests.api_helpers import (
    ALL_PERMS,
    CLAIM_PERMS,
    issue_client_credentials_token,
    issue_token,
    user_with,
)
from tests.factories import ClaimDefinitionFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/claims/"
NEW_CLAIM = {"name": "department", "value": "user.email"}


def bearer(token: str) -> APIClient:
    return APIClient(HTTP_AUTHORIZATION=f"Bearer {token}")


def session(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def test_anonymous_is_401_with_a_bearer_challenge():
    for response in (APIClient().get(URL), APIClient().post(URL, NEW_CLAIM, format="json")):
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_unknown_token_is_401():
    assert bearer("not-a-token").get(URL).status_code == 401


def test_read_scope_reads_but_cannot_write():
    definition = ClaimDefinitionFactory()
    client = bearer(issue_token(user_with(*ALL_PERMS), "claims.read"))
    assert client.get(URL).status_code == 200
    assert client.get(f"{URL}{definition.pk}/").status_code == 200
    for response in (
        client.post(URL, NEW_CLAIM, format="json"),
        client.patch(f"{URL}{definition.pk}/", {"enabled": False}, format="json"),
        client.delete(f"{URL}{definition.pk}/"),
    ):
        assert response.status_code == 403
        assert "claims.manage" in response.json()["detail"]
    definition.refresh_from_db()
    assert definition.enabled is True


def test_manage_scope_reads_and_writes():
    token = issue_token(user_with(*ALL_PERMS), "openid claims.manage")
    # The example project issues RFC 9068 JWT access tokens: DOT's authentication takes them.
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    assert header["typ"] == "at+jwt"
    client = bearer(token)
    assert client.get(URL).status_code == 200
    created = client.post(URL, NEW_CLAIM, format="json")
    assert created.status_code == 201
    claim_url = f"{URL}{created.json()['id']}/"
    assert client.patch(claim_url, {"enabled": False}, format="json").status_code == 200
    assert client.delete(claim_url).status_code == 204


def test_a_revoked_token_is_refused():
    token = issue_token(user_with(*ALL_PERMS), "claims.read")
    assert bearer(token).get(URL).status_code == 200
    # Tokens are stored only as a checksum (COMPLIANT_BCP_RFC9700_TOKEN_STORAGE).
    checksum = hashlib.sha256(token.encode()).hexdigest()
    get_access_token_model().objects.get(token_checksum=checksum).revoke()
    assert bearer(token).get(URL).status_code == 401


def test_a_token_without_a_claims_scope_is_refused():
    client = bearer(issue_token(user_with(*ALL_PERMS), "openid email"))
    response = client.get(URL)
    assert response.status_code == 403
    assert "claims.read" in response.json()["detail"]


def test_the_token_holder_still_needs_model_permissions():
    client = bearer(issue_token(user_with("view_claimdefinition"), "claims.manage"))
    assert client.get(URL).status_code == 200
    assert client.post(URL, NEW_CLAIM, format="json").status_code == 403
    assert not ClaimDefinition.objects.exists()


def test_client_credentials_tokens_have_no_user_and_are_refused():
    client = bearer(issue_client_credentials_token("claims.manage"))
    response = client.get(URL)
    assert response.status_code == 403
    assert "issued to a user" in response.json()["detail"]


def test_staff_without_model_permissions_is_refused():
    client = session(UserFactory(is_staff=True))
    assert client.get(URL).status_code == 403
    assert client.post(URL, NEW_CLAIM, format="json").status_code == 403


@pytest.mark.parametrize(
    ("codenames", "method", "allowed"),
    [
        (["view_claimdefinition"], "get", True),
        (["add_claimdefinition"], "get", False),  # reading needs the view permission
        (["view_claimdefinition"], "post", False),
        (["add_claimdefinition"], "post", True),
        (["view_claimdefinition", "change_claimdefinition"], "patch", True),
        (["view_claimdefinition"], "patch", False),
        (["view_claimdefinition", "delete_claimdefinition"], "delete", True),
        (["view_claimdefinition", "change_claimdefinition"], "delete", False),
    ],
)
def test_model_permissions_decide_per_method(codenames, method, allowed):
    definition = ClaimDefinitionFactory(name="existing")
    client = session(user_with(*codenames))
    if method in ("get", "post"):
        response = getattr(client, method)(URL, NEW_CLAIM, format="json")
    else:
        response = getattr(client, method)(
            f"{URL}{definition.pk}/", {"enabled": False}, format="json"
        )
    assert (response.status_code < 300) is allowed, response.status_code


def test_superuser_session_may_do_everything():
    client = session(UserFactory(is_staff=True, is_superuser=True))
    assert client.post(URL, NEW_CLAIM, format="json").status_code == 201


def test_session_writes_need_the_csrf_token():
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user_with(*CLAIM_PERMS))
    refused = client.post(URL, NEW_CLAIM, format="json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert client.get(URL).status_code == 200  # reads need no token

    secret = _get_new_csrf_string()
    client.cookies["csrftoken"] = secret
    accepted = client.post(URL, NEW_CLAIM, format="json", HTTP_X_CSRFTOKEN=secret)
    assert accepted.status_code == 201


def test_token_requests_need_no_csrf_token():
    client = APIClient(
        enforce_csrf_checks=True,
        HTTP_AUTHORIZATION=f"Bearer {issue_token(user_with(*CLAIM_PERMS), 'claims.manage')}",
    )
    assert client.post(URL, NEW_CLAIM, format="json").status_code == 201


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/api/v1/app-profiles/", None),
        ("put", "/api/v1/app-profiles/some-client/", {"data": {}}),
        ("post", "/api/v1/preview/", {}),
        ("get", "/api/v1/export/", None),
        ("post", "/api/v1/import/", {}),
        ("post", "/api/v1/import/okta/", []),
    ],
)
def test_every_endpoint_refuses_anonymous_and_permissionless_users(method, path, body):
    kwargs = {"format": "json"} if body is not None else {}
    args = (body,) if body is not None else ()
    assert getattr(APIClient(), method)(path, *args, **kwargs).status_code == 401
    staff = session(UserFactory(is_staff=True))
    assert getattr(staff, method)(path, *args, **kwargs).status_code == 403


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("put", "/api/v1/app-profiles/some-client/", {"data": {}}),
        ("post", "/api/v1/import/", {}),
        ("post", "/api/v1/import/okta/", []),
    ],
)
def test_writing_endpoints_need_the_manage_scope(method, path, body):
    client = bearer(issue_token(user_with(*ALL_PERMS), "claims.read"))
    response = getattr(client, method)(path, body, format="json")
    assert response.status_code == 403
    assert "claims.manage" in response.json()["detail"]
