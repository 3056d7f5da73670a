"""The cost of each signing algorithm: signing alone, and a whole token request.

    .venv/bin/python benchmarks/signing_algorithms.py [--rounds 5] [--requests 40]

One process, in-memory SQLite, Django's test client (no network). For ES256, EdDSA and RS256
(a database key each; RS256 also with DOT's OIDC_RSA_PRIVATE_KEY), measured in alternating
rounds so that drift of the machine hits every algorithm alike:

- ``sign``: one ``sign_jwt`` of a typical access-token payload;
- ``token request``: a client-credentials request with a JWT access token;
- the SQL queries of that request (the key set is read once per SIGNING_KEYS_CACHE_SECONDS, so
  a steady request makes the same queries whatever the algorithm).

Reported: median microseconds per signature, median milliseconds per request, token length.
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
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

SECRET = "bench-secret-Vq7Lx2Rk9Tz4Wn8Bc3Hf6Jm0Pd5Gs1Ky"  # noqa: S105
CONFIGURATIONS = ("RS256 (DOT's key)", "RS256", "ES256", "EdDSA")
PAYLOAD = {
    "iss": "https://idp.example.com/o",
    "sub": "0f0e0d0c0b0a09080706050403020100",
    "aud": "https://api.example.com/",
    "client_id": "bench-service",
    "scope": "openid api.read",
    "iat": 1_800_000_000,
    "exp": 1_800_000_600,
    "jti": "5a4b3c2d1e0f5a4b3c2d1e0f5a4b3c2d",
}


def settings_for(name: str) -> dict:
    from django.conf import settings

    return {**settings.OIDC_CLAIMS, "ACCESS_TOKEN_SIGNING_ALG": name.split()[0]}


def token_request(client: Client) -> tuple[float, int, int]:
    credentials = f"bench-service:{SECRET}".encode()
    authorization = "Basic " + base64.b64encode(credentials).decode()
    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        response = client.post(
            "/o/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=authorization
        )
        elapsed = time.perf_counter() - start
    assert response.status_code == 200, response.content
    return elapsed, len(captured), len(response.json()["access_token"])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()

    from oidc_claims.models.key_rotation import create_key
    from oidc_claims.models.key_store import forget_key_set
    from oidc_claims.models.signing_keys import SigningKey
    from oidc_claims.tokens.builders import access_token_signature, sign_jwt
    from tests.factories import ApplicationFactory

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    ApplicationFactory(
        client_id="bench-service",
        client_secret=SECRET,
        authorization_grant_type="client-credentials",
    )
    for algorithm in ("ES256", "EdDSA", "RS256"):
        create_key(algorithm, activate=True)
    client = Client()
    signing: dict[str, list[float]] = {name: [] for name in CONFIGURATIONS}
    requests: dict[str, list[float]] = {name: [] for name in CONFIGURATIONS}
    queries: dict[str, int] = {}
    lengths: dict[str, int] = {}
    database_rs256 = SigningKey.objects.get(algorithm="RS256")
    for _ in range(args.rounds):
        for name in CONFIGURATIONS:
            dot_key = name.endswith("(DOT's key)")
            if dot_key:  # without a database RS256 key, DOT's signs
                SigningKey.objects.filter(pk=database_rs256.pk).update(state="retired")
            forget_key_set()
            with override_settings(OIDC_CLAIMS=settings_for(name)):
                header, key = access_token_signature()
                for _ in range(args.requests):
                    start = time.perf_counter()
                    sign_jwt(PAYLOAD, header, key)
                    signing[name].append(time.perf_counter() - start)
                token_request(client)  # the key set's one read per cache period
                for _ in range(args.requests):
                    elapsed, queries[name], lengths[name] = token_request(client)
                    requests[name].append(elapsed)
            if dot_key:
                SigningKey.objects.filter(pk=database_rs256.pk).update(state="active")

    print(
        f"{args.rounds} rounds x {args.requests} requests, Django {django.get_version()}, "
        f"{connection.vendor}"
    )
    print(f"{'algorithm':<20}{'sign µs':>10}{'request ms':>12}{'queries':>9}{'token chars':>13}")
    for name in CONFIGURATIONS:
        sign_us = statistics.median(signing[name]) * 1e6
        request_ms = statistics.median(requests[name]) * 1000
        print(f"{name:<20}{sign_us:>10.0f}{request_ms:>12.2f}{queries[name]:>9}{lengths[name]:>13}")


if __name__ == "__main__":
    main()
