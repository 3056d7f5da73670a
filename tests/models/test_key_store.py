"""The per-process key set: read once per SIGNING_KEYS_CACHE_SECONDS, correct while stale, and
no query of its own on a token request."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from oidc_claims.conf import claims_settings
from oidc_claims.models import key_store
from oidc_claims.models.key_rotation import advance, start_rotation
from oidc_claims.models.signing_keys import KeyState, SigningKey
from oidc_claims.tokens.builders import access_token_signature, sign_jwt
from tests.factories import ApplicationFactory, AppProfileFactory, UserFactory
from tests.signing_support import active_key, verify_twice
from tests.tokens.test_queries import code_exchange_queries, refresh_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    """The key store's monotonic clock, moved by hand."""
    now = [1000.0]
    monkeypatch.setattr(key_store.time, "monotonic", lambda: now[0])
    return now


def test_the_key_set_is_read_once_per_cache_period(clock):
    active_key("ES256")
    with CaptureQueriesContext(connection) as first:
        key_store.current_key_set()
    with CaptureQueriesContext(connection) as again:
        key_store.current_key_set()
    assert (len(first), len(again)) == (1, 0)
    clock[0] += claims_settings.SIGNING_KEYS_CACHE_SECONDS
    with CaptureQueriesContext(connection) as expired:
        key_store.current_key_set()
    assert len(expired) == 1


def test_a_process_with_a_stale_key_set_still_signs_with_a_published_key(clock, settings):
    settings.OIDC_CLAIMS = {**settings.OIDC_CLAIMS, "ACCESS_TOKEN_SIGNING_ALG": "ES256"}
    first = active_key("ES256")
    start_rotation("ES256")
    assert access_token_signature()[0]["kid"] == first.kid  # this process read the set
    # Another process promotes the successor (no signal reaches this one).
    second = SigningKey.objects.get(state=KeyState.NEXT)
    SigningKey.objects.filter(pk=first.pk).update(state=KeyState.RETIRING)
    SigningKey.objects.filter(pk=second.pk).update(state=KeyState.ACTIVE)
    header, key = access_token_signature()
    stale_token = sign_jwt({"sub": "s", "exp": 4_000_000_000}, header, key)
    assert header["kid"] == first.kid
    # Once its cache expires, this process signs with the successor, and what it publishes
    # (as every other process does already) still holds the key it signed with while stale.
    clock[0] += claims_settings.SIGNING_KEYS_CACHE_SECONDS
    assert access_token_signature()[0]["kid"] == second.kid
    assert verify_twice(stale_token, {"keys": key_store.published_keys()})["sub"] == "s"


def test_a_saved_key_is_seen_at_once_by_its_own_process(settings):
    settings.OIDC_CLAIMS = {**settings.OIDC_CLAIMS, "ACCESS_TOKEN_SIGNING_ALG": "EdDSA"}
    now = timezone.now()
    advance("EdDSA", now=now, activate_first=True)
    first = SigningKey.objects.get()
    assert access_token_signature()[0]["kid"] == first.kid


def test_token_requests_make_the_same_queries_with_every_algorithm(client, settings):
    user = UserFactory(groups=["engineering"])
    client.force_login(user)
    counts = {}
    for algorithm in ("RS256", "ES256", "EdDSA"):
        app = ApplicationFactory()
        if algorithm != "RS256":
            active_key(algorithm)
        AppProfileFactory(
            application=app, id_token_signed_response_alg="" if algorithm == "RS256" else algorithm
        )
        settings.OIDC_CLAIMS = {**settings.OIDC_CLAIMS, "ACCESS_TOKEN_SIGNING_ALG": algorithm}
        code_exchange_queries(client, app)  # the key set's one read per cache period
        exchange, tokens = code_exchange_queries(client, app)
        counts[algorithm] = (exchange, refresh_queries(client, app, tokens["refresh_token"]))
    assert counts["ES256"] == counts["EdDSA"] == counts["RS256"], counts
