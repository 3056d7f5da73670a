"""Key rotation with several server processes: each keeps its key set for
SIGNING_KEYS_CACHE_SECONDS, so right after a change some sign with the old key and some with
the new one, and a resource server that cached the JWKS verifies all of their tokens.

Two `manage.py runserver` processes share the suite's kind of database; the rotation is made by
`rotate_signing_keys` and `manage.py shell` in other processes. The publication period is the
rotation's clock (``advance(now=...)``); the processes' caches run on real time, so the test
waits (polling) until every process publishes a new key, which the publication period
guarantees in production.
"""

from __future__ import annotations

from dataclasses import dataclass

import jwt as pyjwt
import pytest
import requests

from example_project.management.commands.seed_demo import DEMO_SERVICE_SECRET
from oidc_claims.models.key_rotation import jwks_max_age

from .oidc import Provider, client_credentials_token
from .processes import Server, Site, database_url_for_processes, wait_until
from .resource_server import CachingResourceServer, UnknownKey

pytestmark = pytest.mark.e2e

CLIENT_URL = "http://client.invalid"
# Short, so that the test waits little for the processes to see a change.
CACHE_SECONDS = 2


@dataclass
class SigningSite(Site):
    """The site's processes sign access tokens with ES256 and keep their key set briefly."""

    def environment(self) -> dict[str, str]:
        return {
            **super().environment(),
            "OIDC_CLAIMS_PROCESSES_SIGNING_ALG": "ES256",
            "OIDC_CLAIMS_PROCESSES_KEYS_CACHE_SECONDS": str(CACHE_SECONDS),
        }


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    url, drop = database_url_for_processes(tmp_path_factory.mktemp("rotation"))
    site = SigningSite(url)
    site.manage("migrate", "--noinput")
    site.manage("seed_demo", "--base-url", CLIENT_URL, "--no-claims")
    site.manage("rotate_signing_keys", "--algorithm", "ES256", "--activate-now")
    yield site
    drop()


@pytest.fixture(scope="module")
def servers(site, tmp_path_factory):
    logs = tmp_path_factory.mktemp("rotation-logs")
    started = [Server(site, logs / f"server-{index}.log").start() for index in range(2)]
    yield started
    for server in started:
        server.stop()


def token(server: Server) -> str:
    provider = Provider.discover(server.url)
    return client_credentials_token(provider, "demo-service", DEMO_SERVICE_SECRET)["access_token"]


def kid(token: str) -> str:
    return pyjwt.get_unverified_header(token)["kid"]


def published(server: Server) -> set[str]:
    keys = requests.get(f"{server.url}/o/.well-known/jwks.json", timeout=30).json()["keys"]
    return {key["kid"] for key in keys}


def key_in_state(site: Site, state: str) -> str:
    return site.shell(
        "from oidc_claims.models.signing_keys import SigningKey; "
        f"print(SigningKey.objects.get(algorithm='ES256', state='{state}').kid)"
    ).strip()


def test_every_process_signs_with_a_published_key_across_a_rotation(site, servers):
    first_server = servers[0]
    first = key_in_state(site, "active")
    resource_server = CachingResourceServer(f"{first_server.url}/o/.well-known/jwks.json")
    before = [token(server) for server in servers]
    assert {kid(issued) for issued in before} == {first}

    # A successor is published; every process publishes it within its cache period.
    site.manage("rotate_signing_keys", "--algorithm", "ES256", "--start")
    second = key_in_state(site, "next")
    wait_until(lambda: all(second in published(server) for server in servers), "publication")
    during = [token(server) for server in servers]
    assert {kid(issued) for issued in during} == {first}
    resource_server.wait(jwks_max_age())  # its cache expires within the publication period
    assert {first, second} <= resource_server.kids()
    fetches = resource_server.fetches

    # The successor takes over: the first key (the oldest unretired) is demoted.
    site.shell(
        "from oidc_claims.models.key_rotation import advance; "
        "from oidc_claims.models.signing_keys import SigningKey; "
        "print(advance('ES256', now=SigningKey.objects.get(state='next').activate_after))"
    )
    # Until their caches expire, processes may still sign with the first key: published.
    switching = [token(server) for server in servers]
    assert {kid(issued) for issued in switching} <= {first, second}
    wait_until(lambda: {kid(token(server)) for server in servers} == {second}, "the switch")
    after = [token(server) for server in servers]
    for issued in (*before, *during, *switching, *after):
        resource_server.verify(issued)
    assert resource_server.fetches == fetches  # no token named a key it did not have

    # Once the first key's tokens have expired (the rotation's clock), it is unpublished.
    site.shell(
        "from oidc_claims.models.key_rotation import advance; "
        "from oidc_claims.models.signing_keys import SigningKey; "
        "print(advance('ES256', now=SigningKey.objects.get(state='retiring').retire_after))"
    )
    wait_until(lambda: all(first not in published(server) for server in servers), "retirement")
    resource_server.wait(jwks_max_age())
    assert first not in resource_server.kids()
    for issued in after:
        resource_server.verify(issued)
    with pytest.raises(UnknownKey):
        resource_server.verify(before[0])
