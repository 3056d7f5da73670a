"""Recording revisions never touches the token path: the same SQL per token request, however
many revisions there are, and none of it reads or writes the revision table."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oidc_claims.models import ClaimDefinition
from oidc_claims.models.revisions import Revision
from tests.factories import ApplicationFactory, AppProfileFactory, UserFactory
from tests.tokens.test_queries import code_exchange_queries, definitions
from tests.tokens_support import token_request


def token_requests(client, app, service) -> list[list[str]]:
    """The SQL of a code exchange, a refresh, client credentials and userinfo, in turn."""
    code_exchange_queries(client, app)  # the first compiles the definitions
    with CaptureQueriesContext(connection) as exchange:
        _count, tokens = code_exchange_queries(client, app)
    with CaptureQueriesContext(connection) as refresh:
        refreshed = token_request(
            client, app, grant_type="refresh_token", refresh_token=tokens["refresh_token"]
        ).json()
    with CaptureQueriesContext(connection) as credentials:
        assert token_request(client, service, grant_type="client_credentials").status_code == 200
    with CaptureQueriesContext(connection) as userinfo:
        response = client.get(
            "/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {refreshed['access_token']}"
        )
    assert response.status_code == 200 and "claim_1" in response.json()
    return [[q["sql"] for q in captured] for captured in (exchange, refresh, credentials, userinfo)]


@pytest.mark.django_db(transaction=True)
def test_token_requests_make_the_same_queries_with_and_without_revisions(client, settings):
    # A local-memory cache: every request reads the configuration version from the database,
    # whatever the timing (a shared cache spares that query, see test_config_version).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    user = UserFactory(groups=["engineering"])
    app = ApplicationFactory()
    service = ApplicationFactory(authorization_grant_type="client-credentials")
    AppProfileFactory(application=app, data={"label": "L"})
    definitions(3)
    ClaimDefinition.objects.update(include_in_userinfo=True)
    client.force_login(user)
    Revision.objects.all().delete()
    without = token_requests(client, app, service)

    for index in range(30):
        ClaimDefinition.objects.filter(name="claim_2").update(description=str(index))
    assert Revision.objects.count() == 30
    with_history = token_requests(client, app, service)

    # Per request, as many statements as without any revision, none on the revision table.
    assert [len(sqls) for sqls in with_history] == [len(sqls) for sqls in without]
    assert not [sql for sqls in with_history for sql in sqls if Revision._meta.db_table in sql]
    # Token requests change no claim configuration: no revision was recorded meanwhile.
    assert Revision.objects.count() == 30
