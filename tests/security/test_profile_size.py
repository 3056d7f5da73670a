"""App profile data has a size limit (APP_PROFILE_MAX_BYTES), enforced wherever it is saved.

Profile data is decoded for every token request of its application and is what claim
expressions copy: its size is a cost of the token endpoint, so it is bounded when saved.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from oidc_claims.engine.size_limits import encoded_size
from oidc_claims.models import AppProfile
from tests.api_helpers import ALL_PERMS
from tests.factories import ApplicationFactory, AppProfileFactory

pytestmark = pytest.mark.django_db

LIMIT = 65_536


def data_of_size(size: int) -> dict:
    """A profile whose compact JSON is exactly ``size`` bytes."""
    data = {"blob": ""}
    data["blob"] = "x" * (size - encoded_size(data))
    assert encoded_size(data) == size
    return data


# The permissions of the `api` client (tests/conftest.py).
API_PERMISSIONS = ALL_PERMS
# Server errors come back as responses, as a client sees them.
API_RAISE_REQUEST_EXCEPTION = False


def test_the_model_refuses_data_over_the_limit_and_accepts_it_at_the_limit():
    application = ApplicationFactory()
    profile = AppProfileFactory.build(application=application, data=data_of_size(LIMIT + 1))
    with pytest.raises(ValidationError) as caught:
        profile.full_clean()
    (message,) = caught.value.message_dict["data"]
    assert message == (
        f"The profile data is {LIMIT + 1} bytes as compact JSON, more than the limit of {LIMIT} "
        "(OIDC_CLAIMS['APP_PROFILE_MAX_BYTES']). Keep only what claims read; large data "
        "belongs in a resource server."
    )
    assert caught.value.error_dict["data"][0].code == "too_large"
    AppProfileFactory.build(application=application, data=data_of_size(LIMIT)).full_clean()


def test_the_limit_is_a_setting(settings):
    settings.OIDC_CLAIMS = {"APP_PROFILE_MAX_BYTES": 100}
    profile = AppProfileFactory.build(application=ApplicationFactory(), data=data_of_size(101))
    with pytest.raises(ValidationError, match="more than the limit of 100"):
        profile.full_clean()


def test_the_api_refuses_data_over_the_limit(api):
    ApplicationFactory(client_id="portal")
    response = api.put(
        "/api/v1/app-profiles/portal/", {"data": data_of_size(LIMIT + 1)}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["data"] == [
        f"The profile data is {LIMIT + 1} bytes as compact JSON, more than the limit of {LIMIT} "
        "(OIDC_CLAIMS['APP_PROFILE_MAX_BYTES']). Keep only what claims read; large data "
        "belongs in a resource server."
    ]
    assert not AppProfile.objects.exists()
    response = api.put("/api/v1/app-profiles/portal/", {"data": data_of_size(LIMIT)}, format="json")
    assert response.status_code == 201


def test_an_import_with_profile_data_over_the_limit_is_refused(api):
    ApplicationFactory(client_id="portal")
    document = {
        "format": "oidc_claims.claims",
        "version": 1,
        "claims": [],
        "app_profiles": [{"client_id": "portal", "data": data_of_size(LIMIT + 1)}],
    }
    response = api.post("/api/v1/import/", document, format="json")
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert "app_profiles[0] 'portal'" in error and "APP_PROFILE_MAX_BYTES" in error
    assert not AppProfile.objects.exists()
