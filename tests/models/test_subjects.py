"""Public subject identifiers: every user's sub is stable, opaque and never a client's."""

from __future__ import annotations

import importlib
import re
from types import SimpleNamespace

import pytest
from django.apps import apps as global_apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import override_settings
from oauth2_provider.models import get_application_model

from oidc_claims.checks import subjects as checks_subjects
from oidc_claims.models.subjects import UserSubject, ensure_subject, subject_of
from tests.factories import ApplicationFactory, ClaimDefinitionFactory, UserFactory
from tests.tokens_support import basic_auth, code_flow, stored_subject, verify

pytestmark = pytest.mark.django_db

Application = get_application_model()
HEX_128 = re.compile(r"[0-9a-f]{32}")
PRIMARY_KEY_SUBJECTS = {"OIDC_CLAIMS": {"SUBJECT_IDENTIFIERS": "primary-key"}}


def test_every_token_and_response_names_the_user_by_the_same_opaque_subject(client):
    user = UserFactory(username="ada")
    app = ApplicationFactory()
    ClaimDefinitionFactory(name="uid", value="user.id", include_in_access_token=True)
    client.force_login(user)
    first = code_flow(client, app)
    second = code_flow(client, app)

    subject = stored_subject(user)
    assert HEX_128.fullmatch(subject) and subject != str(user.pk)
    _, id_claims = verify(first["id_token"])
    _, access_claims = verify(first["access_token"])
    userinfo = client.get("/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {first['access_token']}")
    introspection = client.post(
        "/o/introspect/",
        {"token": first["access_token"]},
        HTTP_AUTHORIZATION=basic_auth(app.client_id),
    )
    assert id_claims["sub"] == access_claims["sub"] == subject
    assert userinfo.json()["sub"] == introspection.json()["sub"] == subject
    # The expression user.id is the same public identifier, as Okta's user.id is.
    assert id_claims["uid"] == access_claims["uid"] == subject
    # Stable: the next login gets the same subject.
    assert verify(second["id_token"])[1]["sub"] == subject


def test_subjects_are_random_not_sequential():
    users = [UserFactory() for _ in range(3)]
    subjects = [stored_subject(user) for user in users]
    assert len(set(subjects)) == 3
    assert all(HEX_128.fullmatch(s) for s in subjects)
    assert sorted(subjects) != subjects or sorted(subjects, reverse=True) != subjects


def test_a_user_without_a_subject_gets_one_on_first_need(client):
    user = UserFactory()
    UserSubject.objects.filter(user=user).delete()
    app = ApplicationFactory()
    client.force_login(user)
    sub = verify(code_flow(client, app)["id_token"])[1]["sub"]
    assert sub == stored_subject(user)
    # Later requests read it; concurrent creation keeps the first one stored.
    assert ensure_subject(user).subject == sub


def test_the_data_migration_gives_existing_users_subjects():
    migration = importlib.import_module("oidc_claims.migrations.0004_usersubject")
    users = [UserFactory() for _ in range(3)]
    kept = stored_subject(users[0])
    UserSubject.objects.filter(user__in=users[1:]).delete()
    # The function reads only the schema editor's connection.
    migration.give_existing_users_subjects(global_apps, SimpleNamespace(connection=connection))
    assert stored_subject(users[0]) == kept
    assert all(HEX_128.fullmatch(stored_subject(user)) for user in users[1:])


def test_primary_key_subjects_can_be_kept_for_existing_relying_parties(client):
    user = UserFactory()
    app = ApplicationFactory()
    client.force_login(user)
    with override_settings(**PRIMARY_KEY_SUBJECTS):
        tokens = code_flow(client, app)
        assert [m.id for m in checks_subjects.check_subject_identifiers()] == [
            "oidc_claims.W004"
        ]
    assert verify(tokens["id_token"])[1]["sub"] == str(user.pk)
    assert verify(tokens["access_token"])[1]["sub"] == str(user.pk)
    assert checks_subjects.check_subject_identifiers() == []


@override_settings(OIDC_CLAIMS={"SUBJECT_IDENTIFIERS": "email"})
def test_an_unknown_subject_format_is_a_check_error():
    (message,) = checks_subjects.check_subject_identifiers()
    assert message.id == "oidc_claims.E009" and "'opaque', 'primary-key'" in message.hint


@pytest.mark.parametrize("client_id", ["0123456789abcdef0123456789abcdef", "42"])
def test_a_client_id_shaped_like_a_user_subject_is_refused(client_id):
    with pytest.raises(ValidationError) as raised:
        ApplicationFactory(client_id=client_id)
    assert "form of a user's subject identifier" in str(raised.value.message_dict["client_id"])
    assert not Application.objects.filter(client_id=client_id).exists()


def test_a_client_credentials_sub_never_equals_a_user_sub(client, monkeypatch):
    # A client saved before the rule (update() bypasses it) holds what a user's subject
    # would be: the user is never given it, and the token layer keeps them apart.
    taken = "0123456789abcdef0123456789abcdef"
    service = ApplicationFactory(authorization_grant_type="client-credentials")
    Application.objects.filter(pk=service.pk).update(client_id=taken)
    draws = iter([taken, "fedcba9876543210fedcba9876543210"])
    monkeypatch.setattr("secrets.token_hex", lambda nbytes=None: next(draws))
    user = UserFactory()
    assert subject_of(user) == "fedcba9876543210fedcba9876543210"
    with pytest.raises(ValidationError, match="client id"):
        UserSubject(user=UserFactory.build(), subject=taken).clean()
