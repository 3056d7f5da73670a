"""The cost of the first token request after a claim change, with many claim definitions.

    .venv/bin/python benchmarks/first_request_after_change.py [--definitions 500] [--rounds 5]

One process, in-memory SQLite, Django's test client (no network); ``--definitions`` enabled
definitions plus a tenth as many disabled ones, all for the access token, with a variety of
expressions. Each round measures a client-credentials token request:

- ``steady``: nothing changed (the version query only);
- ``one definition changed``: ``QuerySet.update`` of one definition's value, so the request
  reloads the rows and compiles that one definition again;
- ``every definition changed``: one ``QuerySet.update`` giving every definition a new value,
  so the request compiles them all (as the first request of a new process does).

Reported: median milliseconds per request, SQL queries, and definitions compiled.
"""

from __future__ import annotations

import argparse
import base64
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Value  # noqa: E402
from django.db.models.functions import Concat  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from oidc_claims.engine.definition_cache import default_cache  # noqa: E402
from oidc_claims.models import ClaimDefinition  # noqa: E402

EXPRESSIONS = [
    '"constant {i}"',
    'Arrays.contains(access.scope, "email") ? "with email {i}" : "without {i}"',
    'String.toUpperCase(app.clientId) + "-{i}"',
    'access.grantType == "client_credentials" ? {i} : null',
    'String.substringBefore("a{i}@example.com", "@")',
]


# Strong enough to be set by hand (hand-set client secrets need 32 characters, ~128 bits).
SECRET = "bench-secret-Mz5Qa8Tn2Lw7Xc4Rk9Vh3Bp6"  # noqa: S105

def seed(definitions: int) -> None:
    from tests.factories import ApplicationFactory, ClaimDefinitionFactory

    ApplicationFactory(
        client_id="bench-service",
        client_secret=SECRET,
        authorization_grant_type="client-credentials",
    )
    for index in range(definitions + definitions // 10):
        ClaimDefinitionFactory(
            name=f"claim_{index:04}",
            value=EXPRESSIONS[index % len(EXPRESSIONS)].format(i=index),
            include_in_access_token=True,
            enabled=index < definitions,
        )


def token_request(client: Client) -> tuple[float, int]:
    authorization = "Basic " + base64.b64encode(f"bench-service:{SECRET}".encode()).decode()
    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        response = client.post(
            "/o/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=authorization
        )
        elapsed = time.perf_counter() - start
    assert response.status_code == 200, response.content
    return elapsed, len(captured)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--definitions", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    seed(args.definitions)
    client = Client()
    token_request(client)  # the first load of the process

    changes = {
        "steady": lambda round_: None,
        "one definition changed": lambda round_: ClaimDefinition.objects.filter(
            name="claim_0000"
        ).update(value=f'"changed {round_}"'),
        "every definition changed": lambda round_: ClaimDefinition.objects.update(
            value=Concat("value", Value(f' + "{round_}"'))
        ),
    }
    results: dict[str, list[float]] = {name: [] for name in changes}
    queries: dict[str, int] = {}
    compiled: dict[str, int] = {}
    for round_ in range(args.rounds):
        for name, change in changes.items():
            change(round_)
            before = default_cache.compiled
            elapsed, queries[name] = token_request(client)
            compiled[name] = default_cache.compiled - before
            results[name].append(elapsed)

    print(
        f"{args.definitions} enabled + {args.definitions // 10} disabled definitions, "
        f"{args.rounds} rounds, Django {django.get_version()}, {connection.vendor}"
    )
    print(f"{'token request':<28}{'median ms':>12}{'queries':>10}{'compiled':>10}")
    for name, timings in results.items():
        median = statistics.median(timings) * 1000
        print(f"{name:<28}{median:>12.1f}{queries[name]:>10}{compiled[name]:>10}")


if __name__ == "__main__":
    main()
