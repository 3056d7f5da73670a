"""Client authentication at /o/token/: an unknown client id costs one verification by the
configured CLIENT_SECRET_HASHER, as a known client with a wrong secret does (no timing oracle).

Counted, never timed: the hasher's ``verify`` is wrapped and its calls are counted."""

from __future__ import annotations

import base64
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.hashers import get_hasher
from django.test import override_settings
from oauth2_provider.settings import oauth2_settings

from tests.factories import CLIENT_SECRET, ApplicationFactory

pytestmark = pytest.mark.django_db


def client_credentials(client, client_id: str, secret: str, *, in_body: bool = False):
    data = {"grant_type": "client_credentials"}
    if in_body:
        return client.post("/o/token/", {**data, "client_id": client_id, "client_secret": secret})
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return client.post("/o/token/", data, HTTP_AUTHORIZATION=f"Basic {basic}")


def verifications(hasher_name: str, send) -> tuple[int, object]:
    """Calls of ``hasher_name``'s verify while ``send()`` runs, and its response."""
    hasher_class = type(get_hasher(hasher_name))
    with mock.patch.object(
        hasher_class, "verify", autospec=True, side_effect=hasher_class.verify
    ) as verify:
        response = send()
    return verify.call_count, response


@pytest.fixture
def service():
    return ApplicationFactory(
        client_id="known-service",
        authorization_grant_type="client-credentials",
        redirect_uris="",
    )


@pytest.mark.parametrize("in_body", [False, True])
def test_unknown_and_known_clients_cost_one_verification_each(client, service, in_body):
    hasher = get_hasher(oauth2_settings.CLIENT_SECRET_HASHER).algorithm
    known, refused_known = verifications(
        hasher, lambda: client_credentials(client, "known-service", "wrong", in_body=in_body)
    )
    unknown, refused_unknown = verifications(
        hasher, lambda: client_credentials(client, "no-such-client", "wrong", in_body=in_body)
    )
    assert refused_known.status_code == refused_unknown.status_code == 401
    assert refused_known.json() == refused_unknown.json()
    assert refused_unknown.json()["error"] == "invalid_client"
    assert known == unknown == 1

    granted, ok = verifications(
        hasher, lambda: client_credentials(client, "known-service", CLIENT_SECRET, in_body=in_body)
    )
    assert ok.status_code == 200 and granted == 1


def test_the_unknown_client_check_uses_the_configured_hasher(client):
    # Whichever hasher the site configures (here scrypt beside the tests' MD5) is the one run.
    hashers = [*settings.PASSWORD_HASHERS, "django.contrib.auth.hashers.ScryptPasswordHasher"]
    dot = {**settings.OAUTH2_PROVIDER, "CLIENT_SECRET_HASHER": "scrypt"}
    with override_settings(PASSWORD_HASHERS=hashers, OAUTH2_PROVIDER=dot):
        scrypt_calls, response = verifications(
            "scrypt", lambda: client_credentials(client, "no-such-client", "wrong")
        )
        md5_calls, _ = verifications(
            "md5", lambda: client_credentials(client, "no-such-client", "wrong")
        )
    assert response.status_code == 401
    assert scrypt_calls == 1 and md5_calls == 0
