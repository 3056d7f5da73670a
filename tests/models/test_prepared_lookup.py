"""PreparedLookup: the objects the ORM would return, related objects included, one query each."""

from __future__ import annotations

import secrets
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from oauth2_provider.models import get_access_token_model, get_application_model

from oidc_claims.models.prepared_lookup import PreparedLookup
from oidc_claims.oauth.stored_tokens import find_access_token
from tests.factories import ApplicationFactory, AppProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

RELATED = ("application", "user", "application__oidc_claims_profile")


def by_client_id(client_id: str):
    return (
        get_application_model()
        .objects.select_related("oidc_claims_profile")
        .filter(client_id=client_id)
        .order_by("pk")
    )


def stored_token(**fields) -> str:
    value = secrets.token_urlsafe(24)
    get_access_token_model().objects.create(
        token=value, expires=timezone.now() + timedelta(hours=1), scope="openid", **fields
    )
    return value


def test_the_object_and_its_related_objects_are_the_orms():
    lookup = PreparedLookup("test_by_client_id", by_client_id)
    with_profile = ApplicationFactory(client_id="with-profile")
    AppProfileFactory(application=with_profile, data={"label": "L"})
    ApplicationFactory(client_id="without-profile")
    for client_id in ("with-profile", "without-profile", "with-profile"):
        expected = by_client_id(client_id).first()
        with CaptureQueriesContext(connection) as queries:
            found = lookup.first(client_id)
            # The related object comes with it: reading it is no query.
            profile = getattr(found, "oidc_claims_profile", None)
        assert len(queries) == 1
        assert found == expected and found._state.adding is False
        assert [f.value_from_object(found) for f in found._meta.concrete_fields] == [
            f.value_from_object(expected) for f in expected._meta.concrete_fields
        ]
        assert profile == getattr(expected, "oidc_claims_profile", None)
    assert lookup.first("no-such-client") is None
    assert lookup.first("with-profile'; --") is None  # a parameter, never SQL


def test_access_tokens_with_and_without_a_user():
    app = ApplicationFactory()
    user = UserFactory(username="ada")
    for owner in (user, None):
        value = stored_token(application=app, user=owner)
        with CaptureQueriesContext(connection) as queries:
            token = find_access_token(value, *RELATED)
            assert token.user == owner and token.application == app
            assert token.expires > timezone.now()
        assert len(queries) == 1
    assert find_access_token("unknown", *RELATED) is None


def test_a_queryset_without_the_value_as_one_parameter_runs_through_the_orm():
    app = ApplicationFactory(client_id="twice")
    lookup = PreparedLookup(
        "test_twice",
        lambda value: get_application_model()
        .objects.filter(client_id=value, name__startswith=value[:0] + app.name[:3])
        .filter(client_id=value)
        .order_by("pk"),
    )
    assert lookup.first("twice") == app
    assert lookup.first("other") is None


def test_the_token_endpoint_still_sends_app_authorized_with_the_new_token(client):
    from oauth2_provider.signals import app_authorized

    from tests.tokens_support import token_request

    service = ApplicationFactory(authorization_grant_type="client-credentials")
    received = []

    def receiver(sender, request, token, **kwargs):
        received.append(token)

    app_authorized.connect(receiver)
    try:
        response = token_request(client, service, grant_type="client_credentials")
    finally:
        app_authorized.disconnect(receiver)
    assert response.status_code == 200
    [token] = received
    assert token == find_access_token(response.json()["access_token"])
    assert token.application == service and token.user is None
