"""Token-endpoint cost of oidc_claims against plain django-oauth-toolkit, measured in one run.

    .venv/bin/python benchmarks/token_endpoint.py [--rounds 5] [--requests 40] [--definitions 20]

Both configurations serve the same users, clients and database (in-memory SQLite) through
Django's test client, so the figures compare the server-side work only (no network):

- ``plain DOT``: DOT's validator, opaque access tokens, DOT's urls; its ID token carries only
  DOT's standard claims.
- ``oidc_claims``: the claims validator, JWT access tokens, ``--definitions`` enabled claim
  definitions (expressions and one groups claim) going to the ID token, access token and
  userinfo.

Scenarios: the token endpoint (client credentials, code exchange with ``openid``, refresh),
userinfo with the access token, and the discovery document. Run with ``--definitions 1``
and ``--definitions 50`` to see what each claim definition costs.

Rounds alternate between the two so that drift of the machine hits both alike. Reported:
median milliseconds per request, the ratio oidc_claims / plain DOT, and SQL queries per request.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from oauth2_provider.views.mixins import OAuthLibMixin  # noqa: E402

REDIRECT_URI = "https://client.example.com/callback"
VERIFIER = "benchmark-code-verifier-0123456789-abcdefghijklmnopqrstuvwxyz"
CHALLENGE = (
    base64.urlsafe_b64encode(hashlib.sha256(VERIFIER.encode()).digest()).rstrip(b"=").decode()
)
SCOPE = "openid profile email groups"
SECRET = "bench-secret-Hq3Zt8Wm1Kx6Rv4Pn9Lc2Yb7"  # noqa: S105
# The benchmark's claim expressions, used in turn: user, application and grant reads.
EXPRESSIONS = [
    'String.substringBefore(user.email, "@")',
    'user.isMemberOfGroupName("engineering") ? "eng" : "other"',
    "String.toUpperCase(user.firstName) + \" \" + user.lastName",
    'Arrays.contains(access.scope, "email")',
    "app.clientId",
]


def reset_oauthlib_cores() -> None:
    """DOT caches one oauthlib core per view class; drop them when the configuration changes."""
    pending = [OAuthLibMixin]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if "_oauthlib_core" in cls.__dict__:
            delattr(cls, "_oauthlib_core")


def plain_dot_settings() -> override_settings:
    provider = dict(settings.OAUTH2_PROVIDER)
    for key in ("OAUTH2_VALIDATOR_CLASS", "ACCESS_TOKEN_GENERATOR", "REFRESH_TOKEN_GENERATOR"):
        provider.pop(key, None)
    return override_settings(OAUTH2_PROVIDER=provider, ROOT_URLCONF="benchmarks.urls_plain_dot")


def oidc_claims_settings() -> override_settings:
    return override_settings(OAUTH2_PROVIDER=dict(settings.OAUTH2_PROVIDER))


def seed(definitions: int):
    """The benchmark's user and clients, and ``definitions`` claim definitions."""
    from tests.factories import ApplicationFactory, UserFactory

    user = UserFactory(username="bench", groups=["Everyone", "engineering", "eng-admins", "sales"])
    web = ApplicationFactory(client_id="bench-web", client_secret=SECRET)
    service = ApplicationFactory(
        client_id="bench-service",
        client_secret=SECRET,
        authorization_grant_type="client-credentials",
    )
    seed_claims(definitions)
    return user, web, service


def seed_claims(definitions: int) -> None:
    """Replace the claim definitions with a groups claim and ``definitions - 1`` expressions."""
    from oidc_claims.models import ClaimDefinition
    from tests.factories import ClaimDefinitionFactory

    ClaimDefinition.objects.all().delete()
    everywhere = dict(
        include_in_id_token=True, include_in_access_token=True, include_in_userinfo=True
    )
    ClaimDefinitionFactory(
        name="groups", value_type="groups", group_filter="regex", value=".*", **everywhere
    )
    for index in range(definitions - 1):
        ClaimDefinitionFactory(
            name=f"claim_{index}", value=EXPRESSIONS[index % len(EXPRESSIONS)], **everywhere
        )


def new_code(client: Client, user, app) -> str:
    client.force_login(user)
    response = client.post(
        "/o/authorize/",
        {
            "client_id": app.client_id,
            "redirect_uri": REDIRECT_URI,
            "response_type": "code",
            "scope": SCOPE,
            "state": "s",
            "nonce": "n",
            "code_challenge": CHALLENGE,
            "code_challenge_method": "S256",
            "allow": "Authorize",
        },
    )
    assert response.status_code == 302, response.content
    return parse_qs(urlsplit(response["Location"]).query)["code"][0]


def basic(app_id: str) -> str:
    return "Basic " + base64.b64encode(f"{app_id}:{SECRET}".encode()).decode()


class Scenario:
    """One kind of request, measured by calling it repeatedly; setup is not timed."""

    def __init__(self, name, prepare, send):
        self.name, self.prepare, self.send = name, prepare, send


def scenarios(client: Client, user, web, service) -> list[Scenario]:
    state: dict[str, str] = {}

    def token_request(data, app_id):
        response = client.post("/o/token/", data, HTTP_AUTHORIZATION=basic(app_id))
        assert response.status_code == 200, response.content
        return response.json()

    def prepare_code():
        state["code"] = new_code(client, user, web)

    def send_code():
        body = token_request(
            {"grant_type": "authorization_code", "code": state["code"],
             "redirect_uri": REDIRECT_URI, "code_verifier": VERIFIER},
            "bench-web",
        )
        state["refresh"], state["access"] = body["refresh_token"], body["access_token"]

    def prepare_refresh():
        if "refresh" not in state:
            prepare_code()
            send_code()

    def send_refresh():
        body = token_request(
            {"grant_type": "refresh_token", "refresh_token": state["refresh"]}, "bench-web"
        )
        state["refresh"], state["access"] = body["refresh_token"], body["access_token"]

    def send_userinfo():
        response = client.get("/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {state['access']}")
        assert response.status_code == 200, response.content

    def send_discovery():
        response = client.get("/o/.well-known/openid-configuration")
        assert response.status_code == 200, response.content

    return [
        Scenario("client credentials", lambda: None,
                 lambda: token_request({"grant_type": "client_credentials"}, "bench-service")),
        Scenario("code exchange (openid)", prepare_code, send_code),
        Scenario("refresh token", prepare_refresh, send_refresh),
        Scenario("userinfo", prepare_refresh, send_userinfo),
        Scenario("discovery", lambda: None, send_discovery),
    ]


def measure(scenario: Scenario, requests: int) -> tuple[list[float], int]:
    timings = []
    queries = 0
    for _ in range(requests):
        scenario.prepare()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            scenario.send()
            timings.append(time.perf_counter() - start)
        queries = len(captured)
    return timings, queries


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=40, help="requests per scenario per round")
    parser.add_argument("--definitions", type=int, default=20)
    args = parser.parse_args()

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    user, web, service = seed(args.definitions)
    client = Client()

    configurations = {"plain DOT": plain_dot_settings, "oidc_claims": oidc_claims_settings}
    results: dict[tuple[str, str], list[float]] = {}
    query_counts: dict[tuple[str, str], int] = {}
    for _ in range(args.rounds):
        for label, make_settings in configurations.items():
            with make_settings():
                reset_oauthlib_cores()
                for scenario in scenarios(client, user, web, service):
                    measure(scenario, 2)  # warm caches (compiled definitions, key parsing)
                    timings, queries = measure(scenario, args.requests)
                    results.setdefault((label, scenario.name), []).extend(timings)
                    query_counts[(label, scenario.name)] = queries
            reset_oauthlib_cores()

    print(f"{args.definitions} claim definitions, {args.rounds} rounds x {args.requests} requests,"
          f" Django {django.get_version()}, {connection.vendor}")
    print(f"{'request':<24}{'plain DOT ms':>14}{'oidc_claims ms':>16}{'ratio':>8}{'queries':>12}")
    for scenario in scenarios(client, user, web, service):
        base = statistics.median(results[("plain DOT", scenario.name)]) * 1000
        ours = statistics.median(results[("oidc_claims", scenario.name)]) * 1000
        q_base = query_counts[("plain DOT", scenario.name)]
        q_ours = query_counts[("oidc_claims", scenario.name)]
        queries = f"{q_base} -> {q_ours}"
        print(f"{scenario.name:<24}{base:>14.2f}{ours:>16.2f}{ours / base:>8.2f}{queries:>12}")


if __name__ == "__main__":
    main()
