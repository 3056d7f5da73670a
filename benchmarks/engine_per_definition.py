"""What each claim definition costs the claim engine per token request, in microseconds.

    .venv/bin/python benchmarks/engine_per_definition.py [--rounds 7] [--requests 300]

Seeds the benchmark claims of ``token_endpoint.py`` (a groups claim and expressions reading the
user, the application and the grant, all going to the ID token, the access token and
userinfo) once with 1 and once with 50 definitions, and times what the engine does for one
request, from a fresh claim context each time (nothing memoised between requests):

- ``code exchange``: the ID token's and the access token's claims (with a user);
- ``client credentials``: the access token's claims (no user: user claims are skipped);
- ``userinfo``: the userinfo claims.

The figure of merit is the difference between 50 and 1 definitions divided by 49: the cost of
one more definition. The configuration version is read once per configuration, not per
request (a query, or a Redis round trip, that costs the same whatever the number of
definitions and only adds noise to the difference). Rounds alternate between the two
configurations; medians of the thread's CPU time are reported.
"""

from __future__ import annotations

import argparse
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
from django.test.utils import setup_test_environment  # noqa: E402

from benchmarks.token_endpoint import seed, seed_claims  # noqa: E402
from oidc_claims.engine.context import ClaimContext  # noqa: E402
from oidc_claims.engine.definition_cache import default_cache  # noqa: E402
from oidc_claims.engine.resolve import Destination  # noqa: E402
from oidc_claims.models.configuration_version import read_version  # noqa: E402
from oidc_claims.tokens.builders import configured_claims  # noqa: E402


class FixedVersion:
    """A version reader that knows the version without asking."""

    def __init__(self, version: str) -> None:
        self.version = version

    def current(self) -> str:
        return self.version


SCOPES = ["openid", "profile", "email", "groups"]
SCENARIOS = {
    "code exchange": ((Destination.ID_TOKEN, Destination.ACCESS_TOKEN), True),
    "client credentials": ((Destination.ACCESS_TOKEN,), False),
    "userinfo": ((Destination.USERINFO,), True),
}


def one_request(user, app, destinations, with_user: bool) -> None:
    context = ClaimContext(
        user=user if with_user else None,
        application=app,
        scopes=SCOPES,
        grant_type="authorization_code" if with_user else "client_credentials",
    )
    for destination in destinations:
        configured_claims(context, destination)


def time_scenario(user, app, scenario: str, requests: int) -> float:
    destinations, with_user = SCENARIOS[scenario]
    one_request(user, app, destinations, with_user)  # warm: compiled definitions, groups
    # CPU time of this thread: time spent descheduled on a shared machine is not the engine's.
    started = time.thread_time()
    for _ in range(requests):
        one_request(user, app, destinations, with_user)
    return (time.thread_time() - started) / requests


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    user, web, _ = seed(1)
    # Groups prefetched, as the token layer's user is: the claims' cost, not a query's.
    user = type(user).objects.prefetch_related("groups").get(pk=user.pk)
    # The application with its profile, as the validator loads it.
    web = type(web).objects.select_related("oidc_claims_profile").get(pk=web.pk)

    def configure(count: int) -> None:
        seed_claims(count)
        default_cache.clear()
        default_cache.reader = FixedVersion(read_version())

    results: dict[tuple[int, str], list[float]] = {}
    for _ in range(args.rounds):
        for count in (1, 50):
            configure(count)
            for scenario in SCENARIOS:
                seconds = time_scenario(user, web, scenario, args.requests)
                results.setdefault((count, scenario), []).append(seconds)

    print(f"engine CPU time per request, {args.rounds} rounds x {args.requests} requests (medians)")
    print(f"{'request':<22}{'1 def µs':>10}{'50 defs µs':>12}{'µs per definition':>20}")
    for scenario in SCENARIOS:
        one = statistics.median(results[(1, scenario)]) * 1e6
        fifty = statistics.median(results[(50, scenario)]) * 1e6
        print(f"{scenario:<22}{one:>10.1f}{fifty:>12.1f}{(fifty - one) / 49:>20.2f}")


if __name__ == "__main__":
    main()
