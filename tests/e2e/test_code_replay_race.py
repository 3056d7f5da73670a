"""Concurrent exchanges of one authorization code at a real server process (threaded
`runserver` over the suite's kind of database: a SQLite file, or PostgreSQL): however the race
goes, no token issued for that code stays valid (RFC 6749 section 4.1.2)."""

from __future__ import annotations

import threading
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from authlib.common.security import generate_token
from authlib.oauth2.rfc7636 import create_s256_code_challenge

from example_project.management.commands.seed_demo import DEMO_WEB_SECRET

from .browser import Browser
from .oidc import Provider
from .processes import Server, Site, database_url_for_processes, free_port

pytestmark = pytest.mark.e2e

CONCURRENT = 4


@pytest.fixture
def demo_idp(tmp_path):
    url, drop = database_url_for_processes(tmp_path)
    site = Site(url)
    port = free_port()
    site.manage("migrate", "--noinput")
    site.manage("seed_demo", "--base-url", f"http://127.0.0.1:{port}", "--no-claims")
    server = Server(site, tmp_path / "server.log", port=port).start()
    yield Provider.discover(server.url)
    server.stop()
    drop()


def test_concurrent_exchanges_of_one_code_leave_no_valid_token(demo_idp):
    redirect_uri = f"{demo_idp.base_url}/demo/callback"
    verifier = generate_token(64)
    query = urlencode(
        {
            "response_type": "code",
            "client_id": "demo-web",
            "redirect_uri": redirect_uri,
            "scope": "openid",
            "state": "s",
            "code_challenge": create_s256_code_challenge(verifier),
            "code_challenge_method": "S256",
        }
    )
    redirect = Browser(demo_idp.base_url, stop_at=redirect_uri).authorize(
        f"{demo_idp.metadata['authorization_endpoint']}?{query}", "alice", "alice-demo-password"
    )
    code = parse_qs(urlsplit(redirect).query)["code"][0]

    barrier = threading.Barrier(CONCURRENT)
    responses: list[requests.Response] = []

    def exchange() -> None:
        barrier.wait(timeout=30)
        responses.append(
            requests.post(
                demo_idp.metadata["token_endpoint"],
                data={
                    "grant_type": "authorization_code",
                    "code": code,
                    "redirect_uri": redirect_uri,
                    "code_verifier": verifier,
                },
                auth=("demo-web", DEMO_WEB_SECRET),
                timeout=60,
            )
        )

    threads = [threading.Thread(target=exchange) for _ in range(CONCURRENT)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)

    assert len(responses) == CONCURRENT
    statuses = sorted(response.status_code for response in responses)
    assert statuses.count(400) >= CONCURRENT - 1 and set(statuses) <= {200, 400}, statuses
    for response in responses:
        if response.status_code == 400:
            assert response.json()["error"] == "invalid_grant"
            continue
        token = response.json()
        userinfo = requests.get(
            demo_idp.metadata["userinfo_endpoint"],
            headers={"Authorization": f"Bearer {token['access_token']}"},
            timeout=30,
        )
        assert userinfo.status_code == 401
        refreshed = requests.post(
            demo_idp.metadata["token_endpoint"],
            data={"grant_type": "refresh_token", "refresh_token": token["refresh_token"]},
            auth=("demo-web", DEMO_WEB_SECRET),
            timeout=30,
        )
        assert refreshed.status_code == 400
