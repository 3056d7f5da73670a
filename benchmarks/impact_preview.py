"""The cost of an impact preview: time and queries per user and application compared.

    .venv/bin/python benchmarks/impact_preview.py [--users 200] [--applications 3] [--rounds 3]

One process, in-memory SQLite (or DATABASE_URL), no network. The site has the standard
claims, a groups claim and ``--applications`` authorization-code clients; ``--users`` active
users in a few groups each. The previewed change adds a claim for every application that
depends on group membership. Time limit off (the whole set is compared).

Reported: median milliseconds of the whole preview, per (user, application) pair (the tokens
before and after: two token previews), SQL queries per pair, and the users that one
application's tokens can be compared for within the default IMPACT_TIME_LIMIT_SECONDS.
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
from django.test import RequestFactory  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from oidc_claims.conf import DEFAULTS  # noqa: E402
from oidc_claims.models import ClaimDefinition  # noqa: E402
from oidc_claims.models.standard_claims import seed_standard_claims  # noqa: E402
from oidc_claims.preview.impact import impact_of  # noqa: E402


def seed(users: int, applications: int) -> None:
    from tests.factories import ApplicationFactory, ClaimDefinitionFactory, UserFactory

    seed_standard_claims()
    ClaimDefinitionFactory(
        name="groups", groups_claim=True, value="team-", include_in_access_token=True
    )
    for _index in range(applications):
        ApplicationFactory()
    for index in range(users):
        UserFactory(groups=[f"team-{index % 7}", f"site-{index % 3}", "everyone"])


def preview(request) -> tuple[float, int, int]:
    def change() -> None:
        ClaimDefinition.objects.create(
            name="on_call",
            value='user.isMemberOfGroupName("team-0") ? true : null',
            include_in_access_token=True,
        )

    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    # An execute wrapper, not the query log, which keeps the last 9000 queries only.
    with connection.execute_wrapper(count):
        start = time.perf_counter()
        report = impact_of(change, request=request, time_limit=3600)
        elapsed = time.perf_counter() - start
    pairs = sum(app.users for app in report.applications)
    return elapsed, len(executed), pairs


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--applications", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    seed(args.users, args.applications)
    request = RequestFactory().get("/", HTTP_HOST="idp.example.com")
    preview(request)  # once-per-process work (signing keys, compiled definitions)
    timings, queries, pairs = [], 0, 0
    for _round in range(args.rounds):
        elapsed, queries, pairs = preview(request)
        timings.append(elapsed)
    median = statistics.median(timings)
    per_pair = median / pairs
    limit = DEFAULTS["IMPACT_TIME_LIMIT_SECONDS"]
    print(
        f"{args.users} users x {args.applications} applications = {pairs} pairs, "
        f"{args.rounds} rounds, Django {django.get_version()}, {connection.vendor}"
    )
    print(f"{'whole preview, median ms':<40}{median * 1000:>10.0f}")
    print(f"{'per (user, application) pair, ms':<40}{per_pair * 1000:>10.2f}")
    print(f"{'queries per pair':<40}{queries / pairs:>10.2f}")
    print(f"{'users of one application in ' + str(limit) + ' s':<40}{limit / per_pair:>10.0f}")


if __name__ == "__main__":
    main()
