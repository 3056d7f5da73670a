"""Client management is admin-only, and every client that receives ID tokens can sign them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from oauth2_provider.models import get_application_model

from tests.factories import ApplicationFactory, UserFactory
from tests.tokens_support import authorize, exchange_code, pkce_pair

pytestmark = pytest.mark.django_db

Application = get_application_model()
MANAGEMENT_ON = {"OIDC_CLAIMS": {"MANAGEMENT_VIEWS": True}}
REGISTRATION = {
    "name": "Mine",
    "client_id": "my-own-client",
    "client_secret": "my-own-secret-Zt4Kp9Xm2Wq7Rb3Nv8Lc",
    "client_type": "confidential",
    "authorization_grant_type": "authorization-code",
    "redirect_uris": "https://attacker.example/cb",
    "algorithm": "RS256",
}
MANAGEMENT_PATHS = [
    "/o/applications/",
    "/o/applications/register/",
    "/o/applications/abc/",
    "/o/applications/1/",
    "/o/applications/1/update/",
    "/o/authorized_tokens/",
]


@pytest.mark.parametrize("path", MANAGEMENT_PATHS)
def test_management_pages_are_not_found_by_default(client, path):
    assert client.get(path).status_code == 404
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(path).status_code == 404


def test_a_logged_in_user_cannot_register_a_client(client):
    client.force_login(UserFactory(username="alice"))
    response = client.post("/o/applications/register/", REGISTRATION)
    assert response.status_code == 404
    with override_settings(**MANAGEMENT_ON):
        response = client.post("/o/applications/register/", REGISTRATION)
        assert response.status_code == 403
    assert not Application.objects.filter(client_id="my-own-client").exists()


@override_settings(**MANAGEMENT_ON)
def test_opted_in_management_pages_are_for_staff_with_the_permission(client):
    assert client.get("/o/applications/").status_code == 302  # to the login page
    client.force_login(UserFactory(is_staff=True))
    assert client.get("/o/applications/").status_code == 403
    manager = UserFactory(is_staff=True)
    manager.user_permissions.add(Permission.objects.get(codename="add_application"))
    client.force_login(manager)
    assert client.get("/o/applications/").status_code == 200
    assert client.get("/o/applications/abc/").status_code == 404

    # The form applies this app's rules: an ID-token client needs an algorithm.
    response = client.post(
        "/o/applications/register/", {**REGISTRATION, "algorithm": ""}
    )
    assert response.status_code == 200
    assert "receives ID tokens" in str(response.context["form"].errors["algorithm"])
    response = client.post("/o/applications/register/", REGISTRATION)
    assert response.status_code == 302
    assert Application.objects.get(client_id="my-own-client").user == manager


@pytest.mark.parametrize("grant", ["authorization-code", "implicit", "openid-hybrid"])
def test_an_id_token_client_without_an_algorithm_cannot_be_saved(grant):
    with pytest.raises(ValidationError) as raised:
        ApplicationFactory(authorization_grant_type=grant, algorithm="")
    assert "must be signed" in str(raised.value.message_dict["algorithm"])
    # Clients that never receive ID tokens need none.
    assert ApplicationFactory(authorization_grant_type="client-credentials", algorithm="").pk


def test_the_admin_form_shows_the_missing_algorithm(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse(f"admin:{Application._meta.app_label}_{Application._meta.model_name}_add")
    response = client.post(
        url,
        {
            **REGISTRATION,
            "algorithm": "",
            "skip_authorization": "on",
            "hash_client_secret": "on",
            "oidc_claims_profile-TOTAL_FORMS": "0",
            "oidc_claims_profile-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    (message,) = response.context["adminform"].form.errors["algorithm"]
    assert "receives ID tokens" in message
    response = client.post(
        url,
        {
            **REGISTRATION,
            "client_id": "0123456789abcdef0123456789abcdef",
            "oidc_claims_profile-TOTAL_FORMS": "0",
            "oidc_claims_profile-INITIAL_FORMS": "0",
        },
    )
    (message,) = response.context["adminform"].form.errors["client_id"]
    assert "has the form of a user's subject identifier" in message
    assert not Application.objects.exists()


def test_a_stored_client_without_an_algorithm_gets_an_oauth_error_not_a_500(client):
    client.force_login(UserFactory())
    # Rows stored before the rule, or with update(), bypass model validation.
    app = ApplicationFactory()
    Application.objects.filter(pk=app.pk).update(algorithm="")
    app.refresh_from_db()
    status, params, _ = authorize(client, app)
    assert status == 302 and params["error"] == "invalid_scope"
    assert "no ID-token signing algorithm" in params["error_description"]

    # The algorithm removed between the authorization and the code exchange.
    Application.objects.filter(pk=app.pk).update(algorithm="RS256")
    verifier, challenge = pkce_pair()
    _, params, _ = authorize(client, app, code_challenge=challenge, code_challenge_method="S256")
    Application.objects.filter(pk=app.pk).update(algorithm="")
    response = exchange_code(client, app, params["code"], verifier)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"] == "invalid_scope"
