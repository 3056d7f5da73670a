"""Ids beyond any 64-bit key in URLs and query strings are "not found", never a server error.

(Django 4.2 on SQLite raises OverflowError in the database driver for them.)
"""

from __future__ import annotations

import pytest

from tests.factories import UserFactory

BIG = "9" * 25
PREVIEW = "/admin/oidc_claims/claimdefinition/preview/"


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.mark.django_db
def test_preview_with_absurd_application_and_user_ids_reports_invalid_choices(admin_client):
    response = admin_client.get(
        f"{PREVIEW}?application={BIG}&grant_type=authorization_code&user={BIG}&scopes=openid"
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "application" in errors and "user" in errors


@pytest.mark.django_db
def test_claim_change_view_with_absurd_id_redirects_as_missing(admin_client):
    response = admin_client.get(f"/admin/oidc_claims/claimdefinition/{BIG}/change/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


@pytest.mark.django_db
def test_api_claim_with_absurd_id_is_not_found(admin_client):
    assert admin_client.get(f"/api/v1/claims/{BIG}/").status_code == 404
