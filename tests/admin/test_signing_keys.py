"""The signing-key admin: states and dates for viewers, confirmed actions for changers, and
never a private key (nor its encrypted form) on any page, in the API or in exports."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from oidc_claims.models.signing_keys import KeyState, SigningKey
from tests.factories import UserFactory
from tests.signing_support import ALGORITHMS, active_key

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:oidc_claims_signingkey_changelist"


def staff(*codenames: str) -> Client:
    user = UserFactory(is_staff=True)
    for codename in codenames:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    client = Client()
    client.force_login(user)
    return client


def private_material(key: SigningKey) -> list[str]:
    """What must never be shown of ``key``: its encrypted and its plain private key."""
    from oidc_claims.models.key_encryption import decrypt_private_key

    pem = decrypt_private_key(key.encrypted_private_key).decode()
    body = "".join(pem.strip().splitlines()[1:-1])
    return [key.encrypted_private_key, body[:40], "PRIVATE KEY"]


def assert_no_private_material(text: str, keys: list[SigningKey]) -> None:
    for key in keys:
        for secret in private_material(key):
            assert secret not in text


@pytest.fixture
def keys() -> list[SigningKey]:
    return [active_key(algorithm) for algorithm in ALGORITHMS]


def test_viewers_see_kid_algorithm_state_and_dates_but_no_private_key(keys):
    browser = staff("view_signingkey")
    page = browser.get(reverse(CHANGELIST)).content.decode()
    for key in keys:
        assert key.kid in page
    assert "active (signing)" in page
    assert_no_private_material(page, keys)
    for key in keys:
        detail = browser.get(reverse("admin:oidc_claims_signingkey_change", args=[key.pk]))
        assert detail.status_code == 200
        assert key.kid in detail.content.decode()
        assert_no_private_material(detail.content.decode(), keys)


def test_keys_cannot_be_added_or_deleted_in_the_admin(keys):
    browser = staff("view_signingkey", "change_signingkey", "add_signingkey", "delete_signingkey")
    assert browser.get(reverse("admin:oidc_claims_signingkey_add")).status_code == 403
    url = reverse("admin:oidc_claims_signingkey_delete", args=[keys[0].pk])
    assert browser.post(url, {"post": "yes"}).status_code == 403
    assert SigningKey.objects.count() == 3


def test_other_staff_are_refused(keys):
    assert staff().get(reverse(CHANGELIST)).status_code == 403


def test_viewers_cannot_run_the_actions(keys):
    browser = staff("view_signingkey")
    response = browser.post(
        reverse(CHANGELIST),
        {"action": "start_rotation_action", "_selected_action": [keys[0].pk], "post": "yes"},
    )
    assert response.status_code == 200  # the list again: the action is not offered
    assert SigningKey.objects.filter(state=KeyState.NEXT).count() == 0


def test_start_a_rotation_after_confirmation(keys):
    browser = staff("view_signingkey", "change_signingkey")
    selection = {"action": "start_rotation_action", "_selected_action": [keys[0].pk]}
    confirm = browser.post(reverse(CHANGELIST), selection)
    assert confirm.status_code == 200
    assert "Publish a new key for ES256?" in confirm.content.decode()
    assert not SigningKey.objects.filter(state=KeyState.NEXT).exists()
    done = browser.post(reverse(CHANGELIST), {**selection, "post": "yes"}, follow=True)
    waiting = SigningKey.objects.get(state=KeyState.NEXT)
    assert waiting.algorithm == "ES256"
    assert f"Published ES256 key {waiting.kid}" in done.content.decode()
    assert LogEntry.objects.get(object_id=str(waiting.pk)).action_flag == ADDITION


def test_retire_refuses_active_keys_and_retires_a_waiting_one_after_confirmation(keys):
    from oidc_claims.models.key_rotation import start_rotation

    browser = staff("view_signingkey", "change_signingkey")
    refused = browser.post(
        reverse(CHANGELIST),
        {"action": "retire_action", "_selected_action": [keys[0].pk]},
        follow=True,
    )
    assert "cannot be retired: start a rotation" in refused.content.decode()
    start_rotation("ES256")
    waiting = SigningKey.objects.get(state=KeyState.NEXT)
    selection = {"action": "retire_action", "_selected_action": [waiting.pk]}
    assert "Retire these keys?" in browser.post(reverse(CHANGELIST), selection).content.decode()
    browser.post(reverse(CHANGELIST), {**selection, "post": "yes"})
    waiting.refresh_from_db()
    assert waiting.state == KeyState.RETIRED and waiting.encrypted_private_key == ""
    (entry,) = LogEntry.objects.filter(object_id=str(waiting.pk))
    assert entry.get_change_message() == f"ES256 key {waiting.kid}: next -> retired"


def test_exports_the_api_the_jwks_and_discovery_carry_no_private_material(client, keys):
    from oidc_claims.models import AppProfile
    from tests.api_helpers import ALL_PERMS, user_with
    from tests.factories import ApplicationFactory

    AppProfile.objects.create(
        application=ApplicationFactory(client_id="portal"), id_token_signed_response_alg="ES256"
    )
    out = io.StringIO()
    call_command("export_claims", stdout=out)
    exported = out.getvalue()
    json.loads(exported)
    assert_no_private_material(exported, keys)
    for url in ("/o/.well-known/jwks.json", "/o/.well-known/openid-configuration"):
        assert_no_private_material(client.get(url).content.decode(), keys)
    client.force_login(user_with(*ALL_PERMS))
    for url in ("/api/v1/export/", "/api/v1/app-profiles/", "/api/v1/app-profiles/portal/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_private_material(response.content.decode(), keys)


def test_the_list_says_when_the_rotation_is_late(keys):
    from datetime import timedelta

    from django.utils import timezone

    from oidc_claims.models.key_rotation import create_key

    browser = staff("view_signingkey")
    assert "The rotation is late" not in browser.get(reverse(CHANGELIST)).content.decode()
    waiting = create_key("ES256")  # a successor, published
    SigningKey.objects.filter(pk=waiting.pk).update(
        activate_after=timezone.now() - timedelta(hours=3)
    )
    page = browser.get(reverse(CHANGELIST)).content.decode()
    assert "The rotation is late" in page and waiting.kid in page
    assert "rotate_signing_keys" in page
