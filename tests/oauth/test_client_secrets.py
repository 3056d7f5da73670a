"""Client secrets: the fast hasher, the upgrade of older hashes, the rule on hand-set secrets,
and checks E015, E016 and W006."""

from __future__ import annotations

import base64

import pytest
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.core import checks
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from oauth2_provider.models import get_application_model

from oidc_claims.checks import client_secrets as checks_secrets
from oidc_claims.oauth.client_secrets import ALGORITHM, secret_problem
from tests.factories import CLIENT_SECRET, ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db

Application = get_application_model()
PBKDF2 = "django.contrib.auth.hashers.PBKDF2PasswordHasher"
HASHER = "oidc_claims.oauth.client_secrets.ClientSecretHasher"
MD5 = "django.contrib.auth.hashers.MD5PasswordHasher"


def client_credentials(client, app, secret: str = CLIENT_SECRET):
    basic = base64.b64encode(f"{app.client_id}:{secret}".encode()).decode()
    return client.post(
        "/o/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=f"Basic {basic}"
    )


def service(**fields):
    return ApplicationFactory(
        authorization_grant_type="client-credentials", redirect_uris="", **fields
    )


def stored_secret(app) -> str:
    return Application.objects.values_list("client_secret", flat=True).get(pk=app.pk)


def test_new_secrets_are_stored_with_the_shipped_hasher_and_authenticate(client):
    app = service()
    stored = stored_secret(app)
    assert identify_hasher(stored).algorithm == ALGORITHM
    assert CLIENT_SECRET not in stored
    assert check_password(CLIENT_SECRET, stored) and not check_password("wrong", stored)
    assert client_credentials(client, app).status_code == 200
    assert client_credentials(client, app, "wrong").status_code == 401


def test_a_pbkdf2_hash_is_replaced_on_the_next_successful_authentication(client):
    with override_settings(PASSWORD_HASHERS=[MD5, PBKDF2, HASHER]):
        app = service()
        Application.objects.filter(pk=app.pk).update(
            client_secret=make_password(CLIENT_SECRET, hasher="pbkdf2_sha256")
        )
        assert client_credentials(client, app, "wrong").status_code == 401
        assert identify_hasher(stored_secret(app)).algorithm == "pbkdf2_sha256"

        assert client_credentials(client, app).status_code == 200
        upgraded = stored_secret(app)
        assert identify_hasher(upgraded).algorithm == ALGORITHM
        assert check_password(CLIENT_SECRET, upgraded)
        assert client_credentials(client, app).status_code == 200
        assert stored_secret(app) == upgraded  # upgraded once


def test_a_secret_stored_in_clear_stays_in_clear(client):
    app = service(hash_client_secret=False)
    assert stored_secret(app) == CLIENT_SECRET
    assert client_credentials(client, app).status_code == 200
    assert stored_secret(app) == CLIENT_SECRET


@pytest.mark.parametrize(
    "secret", ["secret", "", "a" * 64, "abab" * 20, "0123456789abcdef0123456789abcde"]
)
def test_weak_hand_set_secrets_are_refused_by_the_orm(secret):
    with pytest.raises(ValidationError) as refused:
        service(client_secret=secret)
    [message] = refused.value.message_dict["client_secret"]
    assert "too weak" in message and "secrets.token_urlsafe(32)" in message
    assert not Application.objects.exists()


def test_generated_and_random_secrets_pass():
    generated = Application.objects.create(
        name="generated",
        client_type="confidential",
        authorization_grant_type="client-credentials",
    )
    assert identify_hasher(generated.client_secret).algorithm == ALGORITHM
    assert secret_problem("kM3_vQ9x-LzT8rW2pY5nB7cD1fG4hJ6aS0eR3tU8iO") is None


def test_the_rule_applies_to_confidential_clients_only_and_to_changed_secrets():
    ApplicationFactory(client_type="public", client_secret="", hash_client_secret=False)
    app = service(hash_client_secret=False)
    # A row stored in clear before the rule, e.g. by update(): it still saves unchanged.
    Application.objects.filter(pk=app.pk).update(client_secret="old-weak")
    app.refresh_from_db()
    app.name = "renamed"
    app.save()
    app.client_secret = "new-weak"
    with pytest.raises(ValidationError):
        app.save()


def test_the_admin_form_shows_the_weak_secret_on_its_field(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse(f"admin:{Application._meta.app_label}_{Application._meta.model_name}_add")
    form = {
        "name": "Mine",
        "client_id": "my-own-client",
        "client_type": "confidential",
        "authorization_grant_type": "client-credentials",
        "algorithm": "RS256",
        "hash_client_secret": "on",
        "oidc_claims_profile-TOTAL_FORMS": "0",
        "oidc_claims_profile-INITIAL_FORMS": "0",
    }
    response = client.post(url, {**form, "client_secret": "hunter2"})
    assert response.status_code == 200
    (message,) = response.context["adminform"].form.errors["client_secret"]
    assert "too weak (7 characters" in message
    assert not Application.objects.exists()

    response = client.post(url, {**form, "client_secret": CLIENT_SECRET})
    assert response.status_code == 302
    app = Application.objects.get(client_id="my-own-client")
    assert identify_hasher(app.client_secret).algorithm == ALGORITHM


def test_checks_are_quiet_with_the_shipped_hasher():
    assert checks_secrets.check_client_secret_hasher() == []


def test_w006_a_slow_hasher_guards_client_secrets():
    dot = {"CLIENT_SECRET_HASHER": "pbkdf2_sha256"}
    with override_settings(PASSWORD_HASHERS=[PBKDF2, HASHER], OAUTH2_PROVIDER=dot):
        [message] = checks_secrets.check_client_secret_hasher()
        registered = {m.id for m in checks.run_checks(tags=["oidc_claims"], databases=[])}
    assert isinstance(message, checks.Warning) and message.id == "oidc_claims.W006"
    assert "PBKDF2PasswordHasher (iterations=" in message.msg
    assert f'CLIENT_SECRET_HASHER\'] = "{ALGORITHM}"' in message.hint
    assert "oidc_claims.W006" in registered


def test_e015_the_fast_hasher_first_would_hash_users_passwords():
    with override_settings(PASSWORD_HASHERS=[HASHER, PBKDF2]):
        [message] = checks_secrets.check_client_secret_hasher()
    assert isinstance(message, checks.Error) and message.id == "oidc_claims.E015"
    assert "PBKDF2PasswordHasher" in message.hint


def test_e016_the_configured_hasher_is_not_listed():
    with override_settings(PASSWORD_HASHERS=[MD5]):
        [message] = checks_secrets.check_client_secret_hasher()
    assert isinstance(message, checks.Error) and message.id == "oidc_claims.E016"
    assert repr(ALGORITHM) in message.msg and "'md5'" in message.msg
    assert HASHER in message.hint
