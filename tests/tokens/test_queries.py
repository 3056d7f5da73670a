"""Claims are computed once per token request: the query count does not grow with definitions."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    ApplicationFactory,
    AppProfileFactory,
    ClaimDefinitionFactory,
    UserFactory,
)
from tests.tokens_support import (
    REDIRECT_URI,
    authorize,
    exchange_code,
    pkce_pair,
    profile_queries,
    token_request,
    verify,
)

pytestmark = pytest.mark.django_db


def definitions(count: int) -> None:
    for index in range(count):
        ClaimDefinitionFactory(
            name=f"claim_{index}",
            # Every input a claim can read: a user attribute, the groups, the app profile.
            value=f'user.email + app.profile.label + Arrays.toCsvString(user.groups) + "{index}"',
            include_in_id_token=True,
            include_in_access_token=True,
        )


def code_exchange_queries(client, app) -> tuple[int, dict]:
    verifier, challenge = pkce_pair()
    _, params, _ = authorize(client, app, code_challenge=challenge, code_challenge_method="S256")
    with CaptureQueriesContext(connection) as queries:
        response = exchange_code(client, app, params["code"], verifier)
    assert response.status_code == 200
    return len(queries), response.json()


def refresh_queries(client, app, refresh_token: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = token_request(
            client, app, grant_type="refresh_token", refresh_token=refresh_token
        )
    assert response.status_code == 200
    return len(queries)


def test_query_counts_equal_for_1_and_50_definitions(client):
    user = UserFactory(groups=["engineering", "sales"])
    app = ApplicationFactory()
    AppProfileFactory(application=app, data={"label": "L"})
    client.force_login(user)

    definitions(1)
    code_exchange_queries(client, app)
    one_exchange, one_tokens = code_exchange_queries(client, app)
    one_refresh = refresh_queries(client, app, one_tokens["refresh_token"])

    from oidc_claims.models import ClaimDefinition

    ClaimDefinition.objects.all().delete()
    definitions(50)
    code_exchange_queries(client, app)
    fifty_exchange, fifty_tokens = code_exchange_queries(client, app)
    fifty_refresh = refresh_queries(client, app, fifty_tokens["refresh_token"])

    assert "claim_49" in verify(fifty_tokens["access_token"])[1]
    assert "claim_49" in verify(fifty_tokens["id_token"])[1]
    assert "claim_0" in verify(one_tokens["id_token"])[1]
    assert (one_exchange, one_refresh) == (fifty_exchange, fifty_refresh)


def test_the_app_profile_comes_with_the_application(client):
    from oidc_claims.models import ClaimDefinition

    # Every token request reads the profile (audience, app.profile, groups allow list).
    user = UserFactory(groups=["engineering"])
    app = ApplicationFactory()
    service = ApplicationFactory(authorization_grant_type="client-credentials")
    for application in (app, service):
        AppProfileFactory(application=application, data={"label": "L"})
    definitions(2)
    for definition in ClaimDefinition.objects.all():
        definition.include_in_userinfo = True
        definition.save()
    client.force_login(user)
    code_exchange_queries(client, app)

    verifier, challenge = pkce_pair()
    _, params, _ = authorize(client, app, code_challenge=challenge, code_challenge_method="S256")
    with CaptureQueriesContext(connection) as exchange:
        tokens = token_request(
            client, app, grant_type="authorization_code", code=params["code"],
            redirect_uri=REDIRECT_URI, code_verifier=verifier,
        ).json()
    with CaptureQueriesContext(connection) as refresh:
        refreshed = token_request(
            client, app, grant_type="refresh_token", refresh_token=tokens["refresh_token"]
        ).json()
    with CaptureQueriesContext(connection) as credentials:
        service_token = token_request(client, service, grant_type="client_credentials").json()
    with CaptureQueriesContext(connection) as userinfo:
        response = client.get(
            "/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {refreshed['access_token']}"
        )

    expected = f"{user.email}Lengineering1"
    assert verify(tokens["access_token"])[1]["claim_1"] == expected
    assert verify(refreshed["id_token"])[1]["claim_1"] == expected
    assert response.json()["claim_1"] == expected
    assert verify(service_token["access_token"])[1]["sub"] == service.client_id
    assert response.status_code == 200
    for captured in (exchange, refresh, credentials, userinfo):
        assert profile_queries(captured) == []
    # Userinfo: DOT's token lookup (with the application, its profile and the user), the
    # configuration version (one primary-key query; a shared cache spares it, see
    # test_config_version) and the user's groups.
    assert len(userinfo) == 3


def test_the_new_token_is_read_back_only_for_app_authorized_listeners(client):
    from oauth2_provider.signals import app_authorized

    service = ApplicationFactory(authorization_grant_type="client-credentials")
    token_request(client, service, grant_type="client_credentials")
    token_table = 'FROM "oauth2_provider_accesstoken"'

    def token_reads() -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            response = token_request(client, service, grant_type="client_credentials")
        assert response.status_code == 200
        return [
            q["sql"] for q in queries if q["sql"].startswith("SELECT") and token_table in q["sql"]
        ]

    # DOT reads the token it has just saved, for the signal alone: nobody listens, no read.
    assert token_reads() == []
    received = []

    def receiver(sender, request, token, **kwargs):
        received.append(token)

    app_authorized.connect(receiver)
    try:
        assert len(token_reads()) == 1
    finally:
        app_authorized.disconnect(receiver)
    [token] = received
    assert token.application == service


def test_an_unknown_client_is_still_refused(client):
    # The application query with the profile falls back to DOT's own for unknown ids.
    app = ApplicationFactory.build(client_id="no-such-client")
    response = token_request(client, app, grant_type="client_credentials")
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_discovery_reads_the_compiled_definitions(client, django_assert_num_queries):
    from oidc_claims.models import ClaimDefinition

    ClaimDefinitionFactory(name="shown", value='"x"', include_in_userinfo=True)
    ClaimDefinitionFactory(
        name="access_only",
        value='"x"',
        include_in_id_token=False,
        include_in_userinfo=False,
        include_in_access_token=True,
    )
    ClaimDefinitionFactory(name="off", value='"x"', include_in_id_token=True, enabled=False)
    url = "/o/.well-known/openid-configuration"
    assert "shown" in client.get(url).json()["claims_supported"]
    # Only the configuration version (one primary-key query; with a shared cache none, see
    # test_config_version) and whether an application signs ID tokens with HS256 (for
    # id_token_signing_alg_values_supported): the definitions stay compiled.
    with django_assert_num_queries(2):
        supported = client.get(url).json()["claims_supported"]
    assert "shown" in supported and "access_only" not in supported and "off" not in supported
    # A saved definition gives a new version: discovery follows it.
    off = ClaimDefinition.objects.get(name="off")
    off.enabled = True
    off.save()
    assert "off" in client.get(url).json()["claims_supported"]


def test_a_code_exchange_reads_its_grant_once_for_every_check(client):
    # DOT read the grant for the dispatcher's scopes, the code, the PKCE challenge and its
    # method, the redirect URI and the nonce, and its user separately: now one read (with
    # the user), DOT's resource check, and the deletion's own look-up.
    user = UserFactory(groups=["engineering"])
    app = ApplicationFactory()
    client.force_login(user)
    code_exchange_queries(client, app)  # once-per-process work: the compiled configuration
    verifier, challenge = pkce_pair()
    _, params, _ = authorize(client, app, code_challenge=challenge, code_challenge_method="S256")
    with CaptureQueriesContext(connection) as queries:
        response = exchange_code(client, app, params["code"], verifier)
    assert response.status_code == 200 and "id_token" in response.json()
    grant_table = 'FROM "oauth2_provider_grant"'
    grant_reads = [q for q in queries if q["sql"].startswith("SELECT") and grant_table in q["sql"]]
    assert len(grant_reads) == 3
    assert len(queries) == 19  # 26 before
    # The code is spent: a second exchange is refused (and revokes what the first issued).
    replay = exchange_code(client, app, params["code"], verifier)
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"
