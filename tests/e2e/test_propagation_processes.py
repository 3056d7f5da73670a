"""A claim change reaches the very next token of every server process, whatever made it.

Two `manage.py runserver` processes share the suite's kind of database: a SQLite file with the
local-memory cache (the default settings), or PostgreSQL with Redis. Changes are made through
other processes (`import_claims`, `manage.py shell`) and through one server's admin; tokens
come from the other server and are verified against its JWKS.
"""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from django.conf import settings

from example_project.management.commands.seed_demo import (
    ADMIN,
    DEMO_SERVICE_SECRET,
    DEMO_USERS,
    DEMO_WEB_SECRET,
)

from .browser import Browser, parse_forms
from .oidc import Provider, authorization_code_flow, client_credentials_token
from .processes import RedisServer, Server, Site, database_url_for_processes

pytestmark = pytest.mark.e2e

CLIENT_URL = "http://client.invalid"
SERVICE = ("demo-service", DEMO_SERVICE_SECRET)
WEB = ("demo-web", DEMO_WEB_SECRET, f"{CLIENT_URL}/demo/callback")
ALICE = DEMO_USERS[0]


def claims_document(value: str, *, enabled: bool = True) -> str:
    claim = {
        "name": "tier",
        "value": json.dumps(value),
        "include_in_id_token": True,
        "include_in_access_token": True,
        "include_in_userinfo": True,
        "enabled": enabled,
    }
    return json.dumps({"format": "oidc_claims.claims", "version": 1, "claims": [claim]})


def tier(server: Server) -> str | None:
    """The `tier` claim of a fresh client-credentials access token from ``server``."""
    provider = Provider.discover(server.url)
    token = client_credentials_token(provider, *SERVICE)
    return provider.verify_jwt(token["access_token"], typ="at+jwt")[1].get("tier")


def shell_update(site: Site, **fields: object) -> None:
    """QuerySet.update() in another process: no model signal is sent."""
    site.shell(
        "from oidc_claims.models import ClaimDefinition; "
        f"ClaimDefinition.objects.filter(name='tier').update(**{fields!r})"
    )


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    url, drop = database_url_for_processes(tmp_path_factory.mktemp("processes"))
    site = Site(url)
    site.manage("migrate", "--noinput")
    site.manage("seed_demo", "--base-url", CLIENT_URL, "--no-claims")
    site.manage("import_claims", "-", stdin=claims_document("bronze"))
    yield url
    drop()


def suite_redis_url() -> str | None:
    """The suite's Redis when it runs with one (PostgreSQL + Redis), else None."""
    cache = settings.CACHES["default"]
    return cache["LOCATION"] if cache["BACKEND"].endswith("RedisCache") else None


@pytest.fixture(scope="module")
def site(database):
    return Site(database, redis_url=suite_redis_url())


@pytest.fixture(scope="module")
def servers(site, tmp_path_factory):
    logs = tmp_path_factory.mktemp("logs")
    started = [Server(site, logs / f"server-{index}.log").start() for index in range(2)]
    yield started
    for server in started:
        server.stop()


def test_an_import_in_another_process_reaches_the_next_token_of_every_server(site, servers):
    first, second = servers
    assert tier(first) == tier(second) == "bronze"
    site.manage("import_claims", "-", stdin=claims_document("silver"))
    assert tier(second) == "silver"
    assert tier(first) == "silver"


def test_an_admin_change_on_one_server_reaches_the_next_token_of_the_other(site, servers):
    first, second = servers
    assert tier(second) == tier(first)
    definition_id = site.shell(
        "from oidc_claims.models import ClaimDefinition; "
        "print(ClaimDefinition.objects.get(name='tier').pk)"
    ).strip()
    browser = Browser(first.url)
    login = browser.get("/admin/login/?next=/admin/")
    browser.submit(login, {"username": ADMIN["username"], "password": ADMIN["password"]})
    page = browser.get(f"/admin/oidc_claims/claimdefinition/{definition_id}/change/")
    assert page.status_code == 200, page.text[:500]
    # The admin's header holds a logout form: submit the change form.
    form_index = next(
        index for index, form in enumerate(parse_forms(page.text)) if "logout" not in form.action
    )
    saved = browser.submit(
        page,
        {
            "name": "tier",
            "description": "",
            "value_type": "expression",
            "value": '"gold"',
            "group_filter": "",
            "group_limit": "100",
            "scopes": "",
            "include_in_id_token": "on",
            "include_in_access_token": "on",
            "include_in_userinfo": "on",
            "enabled": "on",
            "applications": None,  # no application selected (requests leaves None out)
        },
        form_index=form_index,
        button="_save",
    )
    errors = re.findall(r'<ul class="errorlist[^>]*>.*?</ul>', saved.text, re.S)
    assert "was changed successfully" in saved.text, errors
    assert tier(second) == "gold"


def test_queryset_update_in_another_process_reaches_the_next_token(site, servers):
    first, second = servers
    shell_update(site, value='"platinum"')
    assert tier(second) == "platinum"
    assert tier(first) == "platinum"
    shell_update(site, enabled=False)
    assert tier(first) is None
    assert tier(second) is None
    shell_update(site, enabled=True)
    assert tier(second) == "platinum"


def test_a_recompile_storm_compiles_once_per_process(site, servers):
    for server in servers:
        tier(server)  # each process has the current version compiled
    before = [server.loads() for server in servers]
    shell_update(site, value='"diamond"')
    with ThreadPoolExecutor(max_workers=16) as pool:
        values = list(pool.map(tier, [server for server in servers for _ in range(8)]))
    # Requests that came while their process compiled were served the previous version.
    assert set(values) <= {"platinum", "diamond"} and "diamond" in values
    assert [server.loads() - count for server, count in zip(servers, before, strict=True)] == [1, 1]
    assert [tier(server) for server in servers] == ["diamond", "diamond"]


@pytest.fixture
def redis_site(database, tmp_path):
    redis = RedisServer(tmp_path)
    site = Site(database, redis_url=redis.url)
    started = [Server(site, tmp_path / f"server-{index}.log").start() for index in range(2)]
    yield redis, site, started
    for server in started:
        server.stop()
    redis.stop()


def endpoints_answer(server: Server) -> dict[str, object]:
    """Discovery, a code flow (authorize, token), userinfo and client credentials, all checked."""
    provider = Provider.discover(server.url)
    client_id, secret, redirect_uri = WEB
    flow = authorization_code_flow(
        provider,
        client_id=client_id,
        client_secret=secret,
        redirect_uri=redirect_uri,
        username=ALICE["username"],
        password=ALICE["password"],
    )
    userinfo = requests.get(
        provider.metadata["userinfo_endpoint"],
        headers={"Authorization": f"Bearer {flow.token['access_token']}"},
        timeout=30,
    )
    assert userinfo.status_code == 200, userinfo.text
    assert userinfo.json()["sub"] == flow.id_token_claims["sub"]
    return {
        "id_token": flow.id_token_claims.get("tier"),
        "userinfo": userinfo.json().get("tier"),
        "client_credentials": tier(server),
    }


def test_a_redis_outage_keeps_every_endpoint_answering(redis_site):
    redis, site, (first, second) = redis_site
    shell_update(site, value='"before"')
    for server in (first, second):
        assert set(endpoints_answer(server).values()) == {"before"}
    redis.stop()
    for server in (first, second):
        assert set(endpoints_answer(server).values()) == {"before"}
    # Changes still reach every process: the database answers for the cache.
    shell_update(site, value='"during"')
    for server in (second, first):
        assert set(endpoints_answer(server).values()) == {"during"}
    assert "The claim version cache 'default' failed" in (first.log_path.read_text())
