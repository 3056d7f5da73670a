"""The demo IdP's own pieces: signing key handling, PKCE policy, demo data."""

from __future__ import annotations

import io
import stat

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from jwcrypto import jwk
from oauth2_provider.models import get_application_model

from example_project.management.commands.seed_demo import DEMO_WEB_SECRET
from example_project.oauth import pkce_required
from example_project.signing_key import load_signing_key
from oidc_claims.models import AppProfile, ClaimDefinition


def test_signing_key_from_environment(monkeypatch, tmp_path):
    pem = jwk.JWK.generate(kty="RSA", size=2048).export_to_pem(private_key=True, password=None)
    monkeypatch.setenv("TEST_SIGNING_KEY", pem.decode())
    loaded = load_signing_key("TEST_SIGNING_KEY", tmp_path / "key.pem")
    assert loaded.strip() == pem.decode().strip()
    assert not (tmp_path / "key.pem").exists()


def test_signing_key_generated_once_with_owner_only_permissions(monkeypatch, tmp_path):
    monkeypatch.delenv("TEST_SIGNING_KEY", raising=False)
    path = tmp_path / "key.pem"
    first = load_signing_key("TEST_SIGNING_KEY", path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_signing_key("TEST_SIGNING_KEY", path) == first
    key = jwk.JWK.from_pem(first.encode())
    assert key.has_private and key.get("kty") == "RSA"


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_prints_credentials():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=out)
    User = get_user_model()
    Application = get_application_model()
    assert User.objects.filter(username__in=["admin", "alice", "bob", "carol"]).count() == 4
    assert Application.objects.filter(client_id__startswith="demo-").count() == 3
    alice = User.objects.get(username="alice")
    assert set(alice.groups.values_list("name", flat=True)) == {
        "Everyone",
        "engineering",
        "engineering-admins",
    }
    assert alice.check_password("alice-demo-password")
    assert User.objects.get(username="admin").is_superuser
    web = Application.objects.get(client_id="demo-web")
    assert web.client_type == Application.CLIENT_CONFIDENTIAL
    assert web.algorithm == Application.RS256_ALGORITHM
    assert sorted(
        ClaimDefinition.objects.filter(standard=False).values_list("name", flat=True)
    ) == [
        "app_label",
        "groups",
        "login_name",
        "team",
    ]
    # The standard claims, with the demo's contact details behind the ones Django lacks.
    standard = dict(ClaimDefinition.objects.filter(standard=True).values_list("name", "value"))
    assert len(standard) == 10
    assert standard["email_verified"] == "user.emailVerified"
    assert standard["name"] == "user.fullName"
    assert alice.contact.phone_number == "+1 555 0100" and alice.contact.email_verified
    assert AppProfile.objects.get(application=web).data == {"label": "Demo web application"}
    text = out.getvalue()
    assert "groups: ID token, access token, userinfo; scopes groups" in text
    assert DEMO_WEB_SECRET in text and "admin-demo-password" in text
    assert "/o/authorize/?response_type=code&client_id=demo-web" in text


@pytest.mark.django_db
def test_seed_demo_without_claims_leaves_the_claim_configuration_alone():
    call_command("seed_demo", no_claims=True, stdout=io.StringIO())
    assert not ClaimDefinition.objects.exists() and not AppProfile.objects.exists()


@pytest.mark.django_db
def test_pkce_is_required_for_public_clients_only():
    call_command("seed_demo", stdout=io.StringIO())
    assert pkce_required("demo-spa") is True
    assert pkce_required("demo-web") is False
    assert pkce_required("no-such-client") is True


@pytest.mark.django_db
def test_the_callback_page_says_how_long_the_code_lives(client, settings):
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "AUTHORIZATION_CODE_EXPIRE_SECONDS": 45}
    page = client.get("/demo/callback", {"code": "abc123", "state": "s"}).content.decode()
    assert "within 45 seconds" in page
    assert "code=abc123" in page
