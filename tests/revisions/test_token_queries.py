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

# SQL statements per request, the same on SQLite and PostgreSQL and the same as before
# revisions existed (measured on the code without them, in the same setup). A local-memory
# cache: every request reads the configuration version from the database, whatever the
# timing (a shared cache spares that query, see test_config_version).
CODE_EXCHANGE = 29
REFRESH = 31
CLIENT_CREDENTIALS = 6
USERINFO = 3


def token_requests(client, app, service, django_assert_num_queries) -> list[str]:
    code_exchange_queries(client, app)  # the first compiles the definitions
    with CaptureQueriesContext(connection) as exchange:
        count, tokens = code_exchange_queries(client, app)
    assert count == CODE_EXCHANGE
    with django_assert_num_queries(REFRESH) as refresh:
        refreshed = token_request(
            client, app, grant_type="refresh_token", refresh_token=tokens["refresh_token"]
        ).json()
    with django_assert_num_queries(CLIENT_CREDENTIALS) as credentials:
        assert token_request(client, service, grant_type="client_credentials").status_code == 200
    with django_assert_num_queries(USERINFO) as userinfo:
        response = client.get(
            "/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {refreshed['access_token']}"
        )
    assert response.status_code == 200 and "claim_1" in response.json()
    return [q["sql"] for captured in (exchange, refresh, credentials, userinfo) for q in captured]


@pytest.mark.django_db(transaction=True)
def test_token_requests_make_the_same_queries_with_and_without_revisions(
    client, django_assert_num_queries, settings
):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    user = UserFactory(groups=["engineering"])
    app = ApplicationFactory()
    service = ApplicationFactory(authorization_grant_type="client-credentials")
    AppProfileFactory(application=app, data={"label": "L"})
    definitions(3)
    ClaimDefinition.objects.update(include_in_userinfo=True)
    client.force_login(user)
    Revision.objects.all().delete()
    without = token_requests(client, app, service, django_assert_num_queries)

    for index in range(30):
        ClaimDefinition.objects.filter(name="claim_2").update(description=str(index))
    assert Revision.objects.count() == 30
    with_history = token_requests(client, app, service, django_assert_num_queries)

    assert len(with_history) == len(without)
    assert not [sql for sql in with_history if Revision._meta.db_table in sql]
    # Token requests change no claim configuration: no revision was recorded meanwhile.
    assert Revision.objects.count() == 30
