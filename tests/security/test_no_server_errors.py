"""No routed URL answers a server error (5xx) to malformed or unexpected input.

Every URL pattern of the example project (DOT's included, found by walking the URL resolver)
gets requests drawn by hypothesis: any method, query strings and form or JSON bodies built
from valid requests with parameters dropped, replaced and repeated, NUL bytes, non-ASCII,
huge values, absurd ids in the path, malformed ``Authorization`` headers; sent anonymously,
as a logged-in user, as a superuser, and with valid bearer tokens and client credentials.
Each request runs in a savepoint that is rolled back, so every request meets the same data.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import caches
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from oauth2_provider.models import get_application_model

from tests.api_helpers import issue_client_credentials_token
from tests.factories import (
    CLIENT_SECRET,
    ApplicationFactory,
    AppProfileFactory,
    ClaimDefinitionFactory,
    UserFactory,
)
from tests.malformed_requests import Route, requests, routed_patterns
from tests.tokens_support import REDIRECT_URI, authorize, basic_auth, code_flow, pkce_pair

pytestmark = pytest.mark.django_db

ROUTES = routed_patterns()
# Examples per route: the OAuth endpoints and the API parse the most client input.
EXAMPLES = {"o/": 20, "api/": 15}
DEFAULT_EXAMPLES = 5


def examples_for(route: Route) -> int:
    return next(
        (n for prefix, n in EXAMPLES.items() if route.regex.startswith("^" + prefix)),
        DEFAULT_EXAMPLES,
    )


@dataclass
class World:
    """Who sends requests, with which credentials, and values that exist in the database."""

    clients: dict[str, Client]
    credentials: dict[str, str]
    known_values: list[str]
    parameter_sets: list[dict[str, str]]
    json_documents: list[dict[str, Any]]


@pytest.fixture
def world() -> World:
    alice = UserFactory(username="alice")
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    app = ApplicationFactory(client_id="fuzz-client", allowed_origins="https://spa.example.com")
    device_app = ApplicationFactory(
        client_id="fuzz-device",
        client_type="public",
        client_secret="",
        authorization_grant_type=get_application_model().GRANT_DEVICE_CODE,
    )
    claim = ClaimDefinitionFactory(name="dept", applications=[app])
    AppProfileFactory(application=app, data={"tier": "gold"})

    browser = Client()
    browser.force_login(root)
    tokens = code_flow(browser, app, scope="openid profile email claims.read claims.manage")
    verifier, challenge = pkce_pair()
    _status, redirect, _response = authorize(
        browser, app, code_challenge=challenge, code_challenge_method="S256"
    )
    device = Client().post(
        "/o/device-authorization/",
        "client_id=fuzz-device&scope=openid",
        content_type="application/x-www-form-urlencoded",
    ).json()
    cc_token = issue_client_credentials_token("openid claims.read")

    clients = {"anonymous": Client(), "user": Client(), "staff": Client()}
    clients["user"].force_login(alice)
    clients["staff"].force_login(root)
    authorize_request = {
        "response_type": "code",
        "client_id": app.client_id,
        "redirect_uri": REDIRECT_URI,
        "scope": "openid profile",
        "state": "s",
        "nonce": "n",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "prompt": "consent",
    }
    return World(
        clients=clients,
        credentials={
            "staff bearer": f"Bearer {tokens['access_token']}",
            "client-credentials bearer": f"Bearer {cc_token}",
            "client basic": basic_auth(app.client_id),
        },
        known_values=[
            *(str(pk) for pk in (claim.pk, app.pk, device_app.pk, alice.pk, root.pk)),
            app.client_id,
            device_app.client_id,
            device["user_code"],
            REDIRECT_URI,
            "openid",
            "openid profile email claims.manage",
            tokens["access_token"],
            tokens["refresh_token"],
            tokens["id_token"],
        ],
        parameter_sets=[
            {},
            authorize_request,
            {**authorize_request, "response_type": "id_token token", "prompt": "none"},
            {
                "grant_type": "authorization_code",
                "code": redirect["code"],
                "redirect_uri": REDIRECT_URI,
                "code_verifier": verifier,
                "client_id": app.client_id,
                "client_secret": CLIENT_SECRET,
            },
            {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
            {"grant_type": "client_credentials", "scope": "openid"},
            {
                "grant_type": "urn:ietf:params:oauth:grant-type:device_code",
                "device_code": device["device_code"],
                "client_id": device_app.client_id,
            },
            {"client_id": device_app.client_id, "scope": "openid"},
            {"user_code": device["user_code"], "action": "accept"},
            {"token": tokens["access_token"], "token_type_hint": "access_token"},
            {"id_token_hint": tokens["id_token"], "post_logout_redirect_uri": REDIRECT_URI},
            {"username": "alice", "password": "password", "next": "/admin/"},
            {"application": str(app.pk), "user": str(alice.pk), "scopes": "openid"},
            {"q": "a", "o": "1", "p": "0", "action": "delete_selected", "_selected_action": "1"},
        ],
        json_documents=[
            {"name": "team", "value": '"x"', "applications": [app.client_id]},
            {"data": {"tier": "gold"}, "access_token_audience": ""},
            {
                "format": "oidc_claims.claims",
                "version": 1,
                "claims": [{"name": "team", "value": '"x"'}],
                "app_profiles": [{"client_id": app.client_id, "data": {}}],
            },
            {"application": app.client_id, "user": "alice", "scopes": ["openid"]},
            {"name": "team", "expression": "user.email", "claimType": "RESOURCE"},
        ],
    )


def send(world: World, request: dict[str, Any]) -> None:
    """Send ``request``; fail on an exception in the view or on a 5xx answer."""
    request = dict(request)
    client = world.clients[request.pop("identity")]
    try:
        with transaction.atomic():
            response = client.generic(**request)
            transaction.set_rollback(True)
    finally:
        for cache in caches.all():  # a rolled-back change must not stay cached
            cache.clear()
    assert response.status_code < 500, (response.status_code, response.content[:500])


def run_route(route: Route, world: World) -> None:
    @settings(
        max_examples=examples_for(route),
        deadline=None,
        database=None,
        # The first failing request is reported as drawn: shrinking would resend hundreds.
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(request=requests(route, world))
    def no_server_error(request: dict[str, Any]) -> None:
        send(world, request)

    no_server_error()


def test_no_routed_url_answers_a_server_error(world):
    assert len(ROUTES) > 60  # the example project's, DOT's, the admin's and the API's
    failures = []
    for route in ROUTES:
        try:
            run_route(route, world)
        except Exception as exc:  # hypothesis re-raises the failing example, noted
            report = "".join(traceback.format_exception(exc)[-4:])
            failures.append(f"== {route}\n{report[-3000:]}")
    assert not failures, f"{len(failures)} routes answered 5xx:\n\n" + "\n".join(failures)
