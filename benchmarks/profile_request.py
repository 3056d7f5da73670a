"""Where the time of one request goes, by layer: a cProfile of many, grouped by package.

    DATABASE_URL=sqlite:////tmp/serving.sqlite3 .venv/bin/python benchmarks/serving_seed.py
    DATABASE_URL=sqlite:////tmp/serving.sqlite3 .venv/bin/python benchmarks/profile_request.py \\
        [--settings example_project.settings] [--requests 300] [--alg RS256]

Sends the requests of ``http_serving.py`` (client credentials with the unhashed client, and
userinfo) through Django's test client, in process, and splits the profiled time (each
function's own time) into: Django's request handling, the database (Django's ORM and the
driver), DOT and oauthlib, the claim engine (engine, context, compiled expressions), the
rest of oidc_claims, signing (jwcrypto, cryptography), the cache (Redis) and everything
else (the standard library: json, uuid, base64, ...); a builtin's time (getattr, isinstance...)
goes to the layers of its callers. Percentages of the profiled time; the
profiler slows Python code more than C code, so read them as proportions.
"""

from __future__ import annotations

import argparse
import base64
import cProfile
import json
import os
import pstats
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LAYERS = [
    # SQL built once and the rows it returns: the database's share, not the app's.
    ("database", ("prepared_lookup.py", "configuration_version.py", "version_table.py")),
    ("claim engine", ("oidc_claims/engine/", "oidc_claims/expressions/")),
    ("oidc_claims other", ("oidc_claims/",)),
    ("database", ("django/db/", "sqlite3", "SQLite", "psycopg", "'execute' of", "'fetch")),
    ("cache (Redis)", ("redis/", "django/core/cache/")),
    ("DOT and oauthlib", ("oauth2_provider/", "oauthlib/")),
    ("signing", ("jwcrypto/", "cryptography/", "_rust", "openssl", "'sign'")),
    ("django", ("django/",)),
]  # fmt: skip


OTHER = "other (stdlib)"


def layer_of(filename: str, function: str) -> str:
    where = f"{filename} {function}"
    for layer, markers in LAYERS:
        if any(marker in where for marker in markers):
            return layer
    return OTHER


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--settings", default="example_project.settings")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--alg", default="RS256", help="OIDC_ACCESS_TOKEN_SIGNING_ALG")
    parser.add_argument("--seed-output", default=None, help="serving_seed.py's JSON (a file)")
    parser.add_argument("--top", type=int, default=0, help="also list the N costliest functions")
    args = parser.parse_args()
    os.environ["DJANGO_SETTINGS_MODULE"] = args.settings
    os.environ["OIDC_ACCESS_TOKEN_SIGNING_ALG"] = args.alg
    os.environ.setdefault("OIDC_ISSUER", "http://127.0.0.1/o")

    import django

    django.setup()
    from django.test import Client
    from oauth2_provider.models import get_access_token_model

    from benchmarks.serving_seed import CLIENT_ID, CLIENT_SECRET

    if args.seed_output:
        token = json.loads(Path(args.seed_output).read_text())["userinfo_token"]
    else:  # the newest token of the seeded user
        token = None
        latest = get_access_token_model().objects.filter(user__username="bench").last()
        token = getattr(latest, "_raw_token", None) or latest.token
    client = Client(HTTP_HOST="127.0.0.1")
    basic = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()

    def client_credentials():
        response = client.post(
            "/o/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=basic
        )
        assert response.status_code == 200, response.content

    def userinfo():
        response = client.get("/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 200, response.content

    print(f"{args.settings}, access tokens {args.alg}, {args.requests} requests each")
    for name, send in (("client credentials", client_credentials), ("userinfo", userinfo)):
        for _ in range(20):
            send()
        started = time.perf_counter()
        for _ in range(args.requests):
            send()
        unprofiled = (time.perf_counter() - started) / args.requests
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.requests):
            send()
        profile.disable()
        by_layer: dict[str, float] = defaultdict(float)
        stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
        for (filename, _, function), (_, _, own, _, callers) in stats.items():
            layer = layer_of(filename, function)
            if layer == OTHER and filename == "~" and callers:
                # A builtin (getattr, isinstance, str.join): its time goes to its callers' layers.
                shares = {caller: timing[2] for caller, timing in callers.items()}
                weight = sum(shares.values()) or 1.0
                for (caller_file, _, caller_function), share in shares.items():
                    by_layer[layer_of(caller_file, caller_function)] += own * share / weight
                continue
            by_layer[layer] += own
        total = sum(by_layer.values())
        print(f"\n{name}: {unprofiled * 1000:.2f} ms per request unprofiled")
        for layer, seconds in sorted(by_layer.items(), key=lambda item: -item[1]):
            print(f"  {layer:<20}{100 * seconds / total:6.1f} %")
        if args.top:
            ranked = sorted(stats.items(), key=lambda item: -item[1][2])[: args.top]
            for (filename, line, function), (_, calls, own, _, _) in ranked:
                layer = layer_of(filename, function)
                where = f"{Path(filename).name}:{line} {function}"
                print(f"    {100 * own / total:5.1f} % {layer:<18} {calls:>7} {where[:80]}")


if __name__ == "__main__":
    main()
