"""The OIDC claims request parameter (OpenID Connect Core 5.5) at /authorize."""

from __future__ import annotations

import json

import pytest
from django.core.cache import caches

from oidc_claims.models import RequestedUserinfoClaims
from tests.factories import ApplicationFactory, ClaimDefinitionFactory
from tests.tokens_support import authorize, basic_auth, code_flow, token_request, verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def app():
    application = ApplicationFactory()
    # Identity claims, each configured for one destination only.
    ClaimDefinitionFactory(
        name="nickname", value='"Ada"', include_in_id_token=False, include_in_userinfo=True
    )
    ClaimDefinitionFactory(
        name="badge", value='"b-7"', include_in_id_token=True, include_in_userinfo=False
    )
    return application


@pytest.mark.parametrize(
    "claims",
    [
        "{not json",
        "[1, 2]",
        '"text"',
        '{"id_token": ["nickname"]}',
        '{"userinfo": {"nickname": 5}}',
        # Too deep for the json module (RecursionError), and deep enough to be refused.
        "[" * 100_000 + "]" * 100_000,
        '{"userinfo": {"nickname": {"values": ' + "[" * 70 + "]" * 70 + "}}}",
    ],
    ids=["not-json", "array", "string", "list-member", "number-entry", "abyss", "too-deep"],
)
def test_malformed_claims_parameter_is_an_invalid_request_redirect(client, user, app, claims):
    client.force_login(user)
    status, params, response = authorize(client, app, claims=claims)
    assert status == 302
    assert response["Location"].startswith("https://client.example.com/callback")
    assert params["error"] == "invalid_request"
    assert "claims" in params["error_description"]
    assert params["state"] == "st"


def test_claims_requested_for_the_id_token_are_in_the_code_flow_id_token(client, user, app):
    client.force_login(user)
    tokens = code_flow(client, app, claims=json.dumps({"id_token": {"nickname": None}}))
    _, claims = verify(tokens["id_token"])
    assert claims["nickname"] == "Ada" and claims["badge"] == "b-7"
    # Not requested for userinfo: badge stays out of it.
    userinfo = client.get(
        "/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}"
    ).json()
    assert "badge" not in userinfo


def test_claims_requested_for_userinfo_are_in_userinfo(client, user, app):
    client.force_login(user)
    tokens = code_flow(client, app, claims=json.dumps({"userinfo": {"badge": {"essential": True}}}))
    userinfo = client.get(
        "/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}"
    ).json()
    assert userinfo["badge"] == "b-7" and userinfo["nickname"] == "Ada"
    _, claims = verify(tokens["id_token"])
    assert "nickname" not in claims


def userinfo_of(client, access_token: str) -> dict:
    response = client.get("/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {access_token}")
    assert response.status_code == 200, response.content
    return response.json()


def test_userinfo_request_is_kept_with_the_token_not_in_a_cache(client, user, app):
    client.force_login(user)
    tokens = code_flow(client, app, claims=json.dumps({"userinfo": {"badge": None}}))
    # Another process, a restarted cache: what the client asked for is not lost.
    for cache in caches.all():
        cache.clear()
    assert userinfo_of(client, tokens["access_token"])["badge"] == "b-7"


def test_userinfo_request_survives_refresh_and_goes_with_revocation(client, user, app):
    client.force_login(user)
    tokens = code_flow(client, app, claims=json.dumps({"userinfo": {"badge": None}}))
    refreshed = token_request(
        client, app, grant_type="refresh_token", refresh_token=tokens["refresh_token"]
    ).json()
    assert refreshed["access_token"] != tokens["access_token"]
    assert userinfo_of(client, refreshed["access_token"])["badge"] == "b-7"
    # One row per live access token; revoking the token removes its row.
    assert RequestedUserinfoClaims.objects.count() == 1
    client.post(
        "/o/revoke_token/",
        {"token": refreshed["access_token"]},
        HTTP_AUTHORIZATION=basic_auth(app.client_id),
    )
    assert not RequestedUserinfoClaims.objects.exists()


def test_without_claims_parameter_each_claim_stays_in_its_destination(client, user, app):
    client.force_login(user)
    tokens = code_flow(client, app)
    _, claims = verify(tokens["id_token"])
    assert "nickname" not in claims and claims["badge"] == "b-7"


def test_implicit_id_token_honours_the_claims_parameter(client, user, app):
    app.authorization_grant_type = "implicit"
    app.save()
    client.force_login(user)
    status, params, _ = authorize(
        client, app, response_type="id_token", claims=json.dumps({"id_token": {"nickname": None}})
    )
    assert status == 302
    assert verify(params["id_token"])[1]["nickname"] == "Ada"


def test_claims_parameter_survives_the_consent_form(client, user):
    from urllib.parse import parse_qs, urlencode, urlsplit

    app = ApplicationFactory(skip_authorization=False)
    ClaimDefinitionFactory(name="nickname", value='"Ada"', include_in_id_token=False)
    client.force_login(user)
    for claims in (None, json.dumps({"id_token": {"nickname": None}})):
        params = {
            "response_type": "code",
            "client_id": app.client_id,
            "redirect_uri": "https://client.example.com/callback",
            "scope": "openid",
            "state": "s",
            **({"claims": claims} if claims else {}),
        }
        page = client.get("/o/authorize/?" + urlencode(params))
        form = {k: v for k, v in page.context["form"].initial.items() if v is not None}
        response = client.post("/o/authorize/", {**form, "allow": "Authorize"})
        query = parse_qs(urlsplit(response["Location"]).query)
        assert "code" in query, query
        from tests.tokens_support import REDIRECT_URI, token_request

        tokens = token_request(
            client,
            app,
            grant_type="authorization_code",
            code=query["code"][0],
            redirect_uri=REDIRECT_URI,
        ).json()
        assert ("nickname" in verify(tokens["id_token"])[1]) is bool(claims)
