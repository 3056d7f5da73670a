"""A code exchange whose writes lose a race with a concurrent use of the same code (a replay
revoked the rows they refer to) is invalid_grant, never a 500, and issues nothing valid."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import IntegrityError, OperationalError
from oauth2_provider.models import get_access_token_model, get_refresh_token_model

from tests.factories import ApplicationFactory, UserFactory
from tests.tokens_support import authorize, exchange_code, pkce_pair

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_integrity_conflict_during_a_code_exchange_is_invalid_grant(client):
    app = ApplicationFactory()
    client.force_login(UserFactory())
    verifier, challenge = pkce_pair()
    _, params, _ = authorize(client, app, code_challenge=challenge, code_challenge_method="S256")

    conflict = IntegrityError("insert or update violates foreign key constraint")
    with mock.patch("oidc_claims.tokens.auth_time.keep_with_access_token", side_effect=conflict):
        response = exchange_code(client, app, params["code"], verifier)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    assert response.json()["error"] == "invalid_grant"
    # Nothing issued from that code is usable.
    assert not get_access_token_model().objects.filter(application=app).exists()
    assert not get_refresh_token_model().objects.filter(
        application=app, revoked__isnull=True
    ).exists()


def test_a_family_revocation_aborted_as_a_deadlock_is_tried_again():
    from oidc_claims.oauth import authorization_codes

    family = authorization_codes.family_of_code("some-code")
    real = authorization_codes._revoke_token_family
    calls = []

    def deadlock_once(value):
        calls.append(value)
        if len(calls) == 1:
            raise OperationalError("deadlock detected")
        return real(value)

    with mock.patch.object(authorization_codes, "_revoke_token_family", deadlock_once):
        authorization_codes.revoke_token_family(family)
    assert calls == [family, family]
