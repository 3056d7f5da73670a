"""Concurrent identical writes through the API wait for each other: no 5xx, one right result.

Threads send the same request at the same moment to a live server (real connections, one
per server thread) on the suite's database: a SQLite file or PostgreSQL.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from oidc_claims.models import AppProfile, ClaimDefinition
from tests.api_helpers import ALL_PERMS, issue_token, user_with
from tests.factories import ApplicationFactory, ClaimDefinitionFactory
from tests.tokens_support import CLAIMS_API_AUDIENCE

pytestmark = pytest.mark.django_db(transaction=True)

WRITERS = 10


@pytest.fixture
def headers(settings) -> dict[str, str]:
    # The live server answers on another host than the test client that issues the token: the
    # token carries the API's audience without an RFC 8707 resource (which DOT binds to the
    # URL it was requested for), and the API is told that audience is its own.
    settings.OIDC_CLAIMS = {**settings.OIDC_CLAIMS, "API_AUDIENCE": CLAIMS_API_AUDIENCE}
    token = issue_token(
        user_with(*ALL_PERMS), "claims.manage", resource=None, default_audience=CLAIMS_API_AUDIENCE
    )
    return {"Authorization": f"Bearer {token}"}


def all_at_once(send: Any) -> list[requests.Response]:
    """``send()`` from WRITERS threads released together; the responses."""
    start = threading.Barrier(WRITERS)

    def one(_: int) -> requests.Response:
        with requests.Session() as session:
            start.wait()
            return send(session)

    with ThreadPoolExecutor(WRITERS) as pool:
        return list(pool.map(one, range(WRITERS)))


def statuses(responses: list[requests.Response]) -> list[int]:
    return sorted(response.status_code for response in responses)


def test_concurrent_puts_creating_one_app_profile(live_server, headers):
    ApplicationFactory(client_id="portal")
    url = f"{live_server.url}/api/v1/app-profiles/portal/"
    responses = all_at_once(
        lambda s: s.put(url, json={"data": {"tier": "gold"}}, headers=headers, timeout=60)
    )
    assert statuses(responses) == [200] * (WRITERS - 1) + [201], [r.text for r in responses]
    profile = AppProfile.objects.get(application__client_id="portal")
    assert profile.data == {"tier": "gold"}


def test_concurrent_identical_imports(live_server, headers):
    ApplicationFactory(client_id="portal")
    document = {
        "format": "oidc_claims.claims",
        "version": 1,
        "claims": [
            {"name": "dept", "value": '"sales"', "applications": ["portal"]},
            # Disabled definitions may share a name: only the lock keeps them single.
            {"name": "legacy", "value": '"x"', "enabled": False},
        ],
        "app_profiles": [{"client_id": "portal", "data": {"tier": "gold"}}],
    }
    url = f"{live_server.url}/api/v1/import/"
    responses = all_at_once(lambda s: s.post(url, json=document, headers=headers, timeout=60))
    assert statuses(responses) == [200] * WRITERS, [r.text for r in responses]
    reports = [response.json() for response in responses]
    assert sum(report["created"] for report in reports) == 3
    assert sum(report["unchanged"] for report in reports) == 3 * (WRITERS - 1)
    assert sorted(ClaimDefinition.objects.values_list("name", flat=True)) == ["dept", "legacy"]
    dept = ClaimDefinition.objects.get(name="dept")
    assert [app.client_id for app in dept.applications.all()] == ["portal"]
    assert AppProfile.objects.get(application__client_id="portal").data == {"tier": "gold"}


def test_concurrent_identical_gated_imports(live_server, headers, tier):
    # With a claim test enabled, each import is first applied in a transaction that is rolled
    # back: the writers wait for each other there too. One that breaks the test is refused by
    # every writer; one that keeps it green is applied once.
    url = f"{live_server.url}/api/v1/import/"
    exported = requests.get(f"{live_server.url}/api/v1/export/", headers=headers, timeout=60)
    document = exported.json()
    [claim] = [entry for entry in document["claims"] if entry["name"] == "tier"]

    claim["value"] = '"silver"'
    refused = all_at_once(lambda s: s.post(url, json=document, headers=headers, timeout=60))
    assert statuses(refused) == [409] * WRITERS, [r.text for r in refused]
    assert {r.json()["code"] for r in refused} == {"claim_tests_failed"}
    assert ClaimDefinition.objects.get(name="tier").value == "app.profile.tier"

    claim["value"] = 'app.profile.tier + ""'
    applied = all_at_once(lambda s: s.post(url, json=document, headers=headers, timeout=60))
    assert statuses(applied) == [200] * WRITERS, [r.text for r in applied]
    assert sum(response.json()["updated"] for response in applied) == 1
    assert ClaimDefinition.objects.get(name="tier").value == 'app.profile.tier + ""'


def test_concurrent_puts_replacing_one_claim_and_its_applications(live_server, headers):
    for client_id in ("a", "b"):
        ApplicationFactory(client_id=client_id)
    claim = ClaimDefinitionFactory(name="dept")
    url = f"{live_server.url}/api/v1/claims/{claim.pk}/"
    body = {"name": "dept", "value": '"sales"', "applications": ["a", "b"]}
    responses = all_at_once(lambda s: s.put(url, json=body, headers=headers, timeout=60))
    assert statuses(responses) == [200] * WRITERS, [r.text for r in responses]
    claim.refresh_from_db()
    assert claim.value == '"sales"'
    assert sorted(app.client_id for app in claim.applications.all()) == ["a", "b"]


def test_concurrent_writers_each_get_their_change_recorded_once(live_server, headers):
    from oidc_claims.models.revisions import Revision
    from oidc_claims.revisions.diff import configuration_diff
    from oidc_claims.transfer.format import export_configuration

    # The API client's application and profile, made by the fixture, are recorded already.
    before = Revision.objects.order_by("-pk").first()
    url = f"{live_server.url}/api/v1/claims/"
    counter = iter(range(WRITERS))
    lock = threading.Lock()

    def create(session: requests.Session) -> requests.Response:
        with lock:
            index = next(counter)
        return session.post(
            url,
            json={"name": f"claim_{index}", "value": f'"{index}"'},
            headers={**headers, "X-Change-Comment": f"writer {index}"},
            timeout=60,
        )

    assert statuses(all_at_once(create)) == [201] * WRITERS
    revisions = list(Revision.objects.filter(pk__gt=before.pk).order_by("pk"))
    # Each revision is the change from the one before it, the last is the configuration now,
    # and every claim was added by exactly one revision.
    assert revisions[-1].snapshot == export_configuration(include_tests=False)
    previous = before.snapshot
    added = []
    for revision in revisions:
        assert revision.channel == "api"
        assert revision.diff == configuration_diff(previous, revision.snapshot)
        added += [item["name"] for item in revision.diff["claims"] if item["action"] == "added"]
        previous = revision.snapshot
    assert sorted(added) == sorted(f"claim_{i}" for i in range(WRITERS))
