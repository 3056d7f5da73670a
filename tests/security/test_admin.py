"""The preview page and its user search answer malformed input with a form error or an empty
result, never a server error (also on PostgreSQL)."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db

PREVIEW = "admin:oidc_claims_claimdefinition_preview"
USERS = "admin:oidc_claims_claimdefinition_preview_users"


@pytest.fixture
def browser() -> Client:
    user = UserFactory(username="previewer", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="preview_token"))
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_a_claims_parameter_too_deep_to_parse_is_a_form_error(browser):
    app = ApplicationFactory()
    user = UserFactory(username="ada")
    query = urlencode(
        {
            "application": app.pk,
            "grant_type": "authorization_code",
            "user": user.pk,
            "scopes": "openid",
            "claims": "[" * 4_000 + "]" * 4_000,  # within the field's 10,000 characters
        }
    )
    response = browser.get(f"{reverse(PREVIEW)}?{query}")
    assert response.status_code == 200
    assert response.context["form"].errors["claims"] == [
        "The claims parameter is nested more than 64 levels deep."
    ]
    assert response.context["preview"] is None


@pytest.mark.parametrize("page", ["99999999999999999999", str(2**62)])
def test_a_page_beyond_any_database_offset_is_simply_empty(browser, page):
    UserFactory(username="ada")
    response = browser.get(reverse(USERS), {"page": page})
    assert response.status_code == 200
    assert response.json() == {"results": [], "pagination": {"more": False}}


def test_a_search_term_with_nul_matches_nobody(browser):
    UserFactory(username="ada")
    response = browser.get(reverse(USERS), {"term": "ad\x00a"})
    assert response.status_code == 200
    assert response.json() == {"results": [], "pagination": {"more": False}}
