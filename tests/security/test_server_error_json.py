"""An unexpected error at an OAuth or API endpoint is a JSON ``server_error``, not an HTML page."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from oidc_claims.oauth.validator import ClaimsOAuth2Validator
from tests.factories import ApplicationFactory, UserFactory
from tests.tokens_support import basic_auth

pytestmark = pytest.mark.django_db


@pytest.fixture
def broken(monkeypatch):
    """Client authentication and the claims API's listing fail with an unexpected error."""

    def fail(*args, **kwargs):
        raise RuntimeError("secret-internal-detail")

    monkeypatch.setattr(ClaimsOAuth2Validator, "authenticate_client", fail)
    monkeypatch.setattr("oidc_claims.api.views.claims.ClaimDefinitionViewSet.list", fail)


def assert_json_server_error(response) -> None:
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    assert response.json()["error"] == "server_error"
    assert b"secret-internal-detail" not in response.content
    assert b"Traceback" not in response.content


@pytest.mark.parametrize("debug", [False, True])
def test_token_endpoint_error_is_json_server_error_even_with_debug(broken, debug, caplog):
    app = ApplicationFactory(authorization_grant_type="client-credentials")
    with override_settings(DEBUG=debug):
        response = Client(raise_request_exception=False).post(
            "/o/token/",
            {"grant_type": "client_credentials"},
            HTTP_AUTHORIZATION=basic_auth(app.client_id),
        )
    assert_json_server_error(response)
    # The site still learns of it: logged with the traceback, as Django logs a 500.
    logged = [r.exc_info[1] for r in caplog.records if r.name == "django.request" and r.exc_info]
    assert [str(exc) for exc in logged] == ["secret-internal-detail"]


def test_api_error_is_json_server_error(broken, client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    client.raise_request_exception = False
    assert_json_server_error(client.get("/api/v1/claims/"))


def test_the_exception_still_reaches_django_signal_receivers(broken):
    app = ApplicationFactory(authorization_grant_type="client-credentials")
    with pytest.raises(RuntimeError, match="secret-internal-detail"):
        Client().post(
            "/o/token/",
            {"grant_type": "client_credentials"},
            HTTP_AUTHORIZATION=basic_auth(app.client_id),
        )
