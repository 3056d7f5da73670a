"""Worst-case claim evaluation: the costliest token request an admin can configure in the limits.

    .venv/bin/python benchmarks/worst_case_claims.py [--rounds 3] [--requests 5] [--definitions 60]

An admin controls the claim definitions (expressions up to ``EXPRESSION_MAX_LENGTH``), the
app profile data (up to ``APP_PROFILE_MAX_BYTES`` and ``PROFILE_DATA_MAX_DEPTH``, saved
through ``full_clean()`` like the admin saves it) and the groups of users. For each of the
costliest operations per step that we know of (a *shape*), this configures
``--definitions`` claims that each repeat it as often as the expression length allows, in
the ID token, the access token and userinfo, for a user in 300 groups:

- ``evaluation``: every claim resolved for the three destinations of one request (one
  ClaimContext: what a code exchange and the userinfo call after it evaluate), without
  HTTP, signing or the database writes of DOT;
- ``code exchange``: the whole token request (authorization code with ``openid``) through
  Django's test client for the worst shape, against plain DOT's code exchange in the same
  run (the baseline of ``benchmarks/token_endpoint.py``).

The step budgets stop every shape; the figure to watch is the worst ``evaluation`` median,
which must stay under about 100 ms. Reported: median milliseconds (CPU time of evaluation,
wall time of the code exchange), the steps charged to the request's budget
(``EXPRESSION_MAX_STEPS_PER_REQUEST``), microseconds per step, and the code exchange's ratio
to plain DOT.
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from benchmarks.token_endpoint import (  # noqa: E402  (sets up Django first)
    REDIRECT_URI,
    SCOPE,
    SECRET,
    VERIFIER,
    basic,
    new_code,
    oidc_claims_settings,
    plain_dot_settings,
    reset_oauthlib_cores,
)
from oidc_claims.conf import claims_settings  # noqa: E402
from oidc_claims.engine.context import ClaimContext  # noqa: E402
from oidc_claims.engine.resolve import Destination, resolve  # noqa: E402
from oidc_claims.json_limits import PROFILE_DATA_MAX_DEPTH  # noqa: E402

GROUPS = 300


def profile_data() -> dict:
    """Profile data as large as the limit allows, in the shapes the expressions below read."""
    deep: dict = {"leaf": "x"}
    for _ in range(PROFILE_DATA_MAX_DEPTH - 2):
        deep = {"d": deep}
    data = {
        "words": [f"w{index:05d}" for index in range(2400)],
        "records": [{"k": index, "v": [index]} for index in range(500)],
        "records_copy": [{"k": index, "v": [index]} for index in range(500)],
        "deep": deep,
        "text": "",
    }
    limit = claims_settings.APP_PROFILE_MAX_BYTES
    size = len(json.dumps(data, separators=(",", ":")))
    data["text"] = "t" * (limit - size)
    return data


def repeat(template: str, separator: str = ",", wrap: str = "{%s}") -> str:
    """``template`` repeated as often as ``EXPRESSION_MAX_LENGTH`` allows."""
    limit = claims_settings.EXPRESSION_MAX_LENGTH
    count = (limit - len(wrap) + 2) // (len(template) + len(separator))
    return wrap % separator.join([template] * count)


SHAPES = {
    # Copies of profile data into the claim: charged per element copied.
    "copy profile data": repeat("app.profile.words"),
    "copy small objects": repeat("app.profile.records"),
    # Deep equality of distinct, equal structures: charged per value compared.
    "deep ==": repeat("app.profile.records==app.profile.records_copy"),
    "deep == (nested)": repeat("app.profile.deep==app.profile.deep.d"),
    # Array functions over the profile's largest arrays.
    "Arrays.flatten": repeat("app.profile.records", wrap="Arrays.size(Arrays.flatten(%s))"),
    "Arrays.contains (no text)": repeat("Arrays.contains(app.profile.records,1)"),
    "Arrays.contains (text)": repeat('Arrays.contains(app.profile.words,"zz")'),
    "Arrays.toCsvString": repeat("String.len(Arrays.toCsvString(app.profile.words))"),
    # String functions over every element of an array, and over long text.
    "String.* over arrays": repeat('Arrays.size(String.append(app.profile.words,"x"))'),
    "String.* over text": repeat('String.len(String.replace(app.profile.text,"t","u"))'),
    # Group functions over all the user's groups.
    "group regex": repeat('isMemberOfGroupNameRegex("(a|b|c|d|e)+x")'),
    "group ids": repeat("isMemberOfAnyGroup(app.profile.words)"),
    "Groups.contains": repeat('Groups.contains("OKTA","zz",1000)'),
    # Syntax alone: the longest flat expression.
    "syntax nodes": repeat("1", separator="+", wrap="%s"),
}


def seed(definitions: int, shape: str):
    from django.contrib.auth.models import Group

    from oidc_claims.models import AppProfile, ClaimDefinition
    from tests.factories import ApplicationFactory, UserFactory

    user = UserFactory(username="bench", groups=[])
    user.groups.set(Group.objects.bulk_create(Group(name=f"g-{i:04d}") for i in range(GROUPS)))
    web = ApplicationFactory(client_id="bench-web", client_secret=SECRET)
    profile = AppProfile(application=web, data=profile_data())
    profile.full_clean()
    profile.save()
    for index in range(definitions):
        definition = ClaimDefinition(
            name=f"claim_{index:03d}",
            value=SHAPES[shape],
            include_in_id_token=True,
            include_in_access_token=True,
            include_in_userinfo=True,
        )
        definition.full_clean()
        definition.save()
    return user, web


def clear():
    from django.contrib.auth.models import Group

    from oidc_claims.models import ClaimDefinition

    ClaimDefinition.objects.all().delete()
    Group.objects.all().delete()
    from django.contrib.auth import get_user_model
    from oauth2_provider.models import get_application_model

    get_application_model().objects.all().delete()
    get_user_model().objects.all().delete()


def evaluate_once(user, web) -> tuple[float, int]:
    """CPU seconds to resolve every claim of one request for its three destinations, and the
    steps charged to the request's budget.

    CPU time of this process, not wall time: on a shared machine, the time other processes
    take the processor is not the cost of evaluation.
    """
    start = time.process_time()
    context = ClaimContext(user, web, SCOPE.split(), "authorization_code")
    for destination in Destination:
        resolve(context, destination)
    return time.process_time() - start, context.step_budget.used


def code_exchange_timings(client: Client, user, web, requests: int) -> list[float]:
    timings = []
    for _ in range(requests):
        code = new_code(client, user, web)
        data = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT_URI,
            "code_verifier": VERIFIER,
        }
        start = time.perf_counter()
        response = client.post("/o/token/", data, HTTP_AUTHORIZATION=basic("bench-web"))
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200, response.content
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=5, help="requests per round")
    parser.add_argument("--definitions", type=int, default=60)
    parser.add_argument("--shape", choices=sorted(SHAPES), action="append")
    args = parser.parse_args()

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    # Every omitted claim is logged, as in production; the records go nowhere here.
    engine_log = logging.getLogger("oidc_claims.engine.resolve")
    engine_log.addHandler(logging.NullHandler())
    engine_log.propagate = False
    budget = claims_settings.EXPRESSION_MAX_STEPS_PER_REQUEST
    print(
        f"{args.definitions} claim definitions per shape, {args.rounds} rounds x "
        f"{args.requests} requests; EXPRESSION_MAX_STEPS {claims_settings.EXPRESSION_MAX_STEPS}"
        f", EXPRESSION_MAX_STEPS_PER_REQUEST {budget}, APP_PROFILE_MAX_BYTES "
        f"{claims_settings.APP_PROFILE_MAX_BYTES}, {GROUPS} groups"
    )
    print(f"{'shape':<28}{'evaluation CPU ms':>19}{'steps':>10}{'us/step':>9}")
    worst = ("", 0.0)
    for shape in args.shape or SHAPES:
        user, web = seed(args.definitions, shape)
        evaluate_once(user, web)  # compiles the definitions
        timings, steps = [], 0
        for _ in range(args.rounds * args.requests):
            seconds, steps = evaluate_once(user, web)
            timings.append(seconds)
        median = statistics.median(timings) * 1000
        print(f"{shape:<28}{median:>19.2f}{steps:>10}{median * 1000 / max(steps, 1):>9.3f}")
        if median > worst[1]:
            worst = (shape, median)
        clear()

    shape = worst[0]
    user, web = seed(args.definitions, shape)
    client = Client()
    results: dict[str, list[float]] = {"plain DOT": [], "oidc_claims": []}
    configurations = {"plain DOT": plain_dot_settings, "oidc_claims": oidc_claims_settings}
    for _ in range(args.rounds):
        for label, make_settings in configurations.items():
            with make_settings():
                reset_oauthlib_cores()
                code_exchange_timings(client, user, web, 1)  # warm caches
                results[label] += code_exchange_timings(client, user, web, args.requests)
            reset_oauthlib_cores()
    base = statistics.median(results["plain DOT"]) * 1000
    ours = statistics.median(results["oidc_claims"]) * 1000
    print(f"worst shape: {shape!r}, evaluation {worst[1]:.2f} ms of CPU time")
    print(f"{'code exchange (openid)':<28}{'plain DOT ms':>14}{'oidc_claims ms':>16}{'ratio':>8}")
    print(f"{shape:<28}{base:>14.2f}{ours:>16.2f}{ours / base:>8.2f}")


if __name__ == "__main__":
    main()
