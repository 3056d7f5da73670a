"""The token preview agrees with real issuance: tokens from the live endpoints, compared with
build_preview() of the same inputs, identical but for the values that differ by nature."""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from oauth2_provider.models import get_application_model

from example_project.management.commands.seed_demo import DEMO_SERVICE_SECRET, DEMO_WEB_SECRET
from oidc_claims.models import AppProfile
from oidc_claims.preview.build import build_preview
from tests.factories import ClaimDefinitionFactory

from .flows_tokens import front_channel_flow, introspect, post_token, userinfo
from .oidc import authorization_code_flow, client_credentials_token

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Values that differ between two issuances by nature (time, randomness, hashes of the
# real token and code).
VOLATILE = {"iat", "exp", "jti", "auth_time", "at_hash", "c_hash"}
EVERYWHERE = {
    "include_in_id_token": True,
    "include_in_access_token": True,
    "include_in_userinfo": True,
}
WEB = ("demo-web", DEMO_WEB_SECRET)


def configure_claims() -> None:
    web = get_application_model().objects.get(client_id="demo-web")
    AppProfile.objects.create(application=web, data={"label": "Web portal"})
    ClaimDefinitionFactory(
        name="login", value='String.substringBefore(user.email, "@")', **EVERYWHERE
    )
    ClaimDefinitionFactory(name="groups", value="engineering", groups_claim=True, **EVERYWHERE)
    ClaimDefinitionFactory(name="app_label", value="app.profile.label", **EVERYWHERE)
    ClaimDefinitionFactory(name="contact", value="user.email", scopes=["email"], **EVERYWHERE)
    ClaimDefinitionFactory(name="grant", value="access.grantType", **EVERYWHERE)
    ClaimDefinitionFactory(name="web_only", value='"web"', applications=[web], **EVERYWHERE)
    ClaimDefinitionFactory(name="nickname", value="user.firstName", include_in_userinfo=False)
    ClaimDefinitionFactory(name="retired", value='"gone"', enabled=False, **EVERYWHERE)


def front_channel_app(client_id: str, grant: str, base_url: str) -> Any:
    Application = get_application_model()
    return Application.objects.create(
        client_id=client_id,
        client_secret=f"{client_id}-secret-Qe8Wr3Ty6Ui1Op5As9Df",
        name=client_id,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=grant,
        redirect_uris=f"{base_url}/demo/callback",
        algorithm=Application.RS256_ALGORITHM,
    )


def preview_of(
    provider: Any,
    client_id: str,
    grant: str,
    username: str | None,
    scope: str,
    **kwargs: Any,
) -> dict:
    application = get_application_model().objects.get(client_id=client_id)
    user = get_user_model().objects.get(username=username) if username else None
    request = RequestFactory().get("/admin/", HTTP_HOST=urlsplit(provider.base_url).netloc)
    return build_preview(application, grant, user, scope.split(), request=request, **kwargs)


def jwt_parts(token: str) -> tuple[dict, dict]:
    header, payload, _signature = token.split(".")
    return tuple(  # type: ignore[return-value]
        json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
        for part in (header, payload)
    )


def stable(payload: dict, *, nonce_given: bool) -> dict:
    ignored = VOLATILE | (set() if nonce_given else {"nonce"})
    return {name: value for name, value in payload.items() if name not in ignored}


def assert_same_token(provider: Any, real: str, panel: dict, *, nonce_given: bool) -> dict:
    header, payload = provider.verify_jwt(real)
    assert panel["status"] == "issued"
    assert panel["header"] == header
    assert stable(panel["payload"], nonce_given=nonce_given) == stable(
        payload, nonce_given=nonce_given
    )
    assert VOLATILE & set(payload) - {"at_hash", "c_hash"} <= set(panel["payload"])
    return payload


def assert_same_access_token(provider: Any, real: str, preview: dict) -> dict:
    payload = assert_same_token(provider, real, preview["access_token"], nonce_given=False)
    # Same claims, same lengths of iat, jti, auth_time: the encoded size is the real one.
    assert preview["access_token"]["size"] == len(real)
    return payload


def assert_same_response(real: dict, panel: dict) -> None:
    assert panel["status"] == "issued"
    assert stable(panel["payload"], nonce_given=False) == stable(real, nonce_given=False)


@pytest.mark.parametrize(
    ("username", "scope", "claims"),
    [
        ("alice", "openid profile email", None),
        ("bob", "openid groups", {"userinfo": {"nickname": None}}),
    ],
)
def test_code_flow_and_refresh_match_the_preview(demo_idp, username, scope, claims):
    configure_claims()
    extra = {"claims": json.dumps(claims)} if claims else None
    result = authorization_code_flow(
        demo_idp,
        client_id=WEB[0],
        client_secret=WEB[1],
        redirect_uri=f"{demo_idp.base_url}/demo/callback",
        username=username,
        password=f"{username}-demo-password",
        scope=scope,
        pkce=False,
        extra_params=extra,
    )
    preview = preview_of(
        demo_idp,
        WEB[0],
        "authorization_code",
        username,
        scope,
        nonce=result.nonce,
        claims_parameter=claims,
    )
    assert preview["warnings"] == []
    id_claims = assert_same_token(
        demo_idp, result.token["id_token"], preview["id_token"], nonce_given=True
    )
    assert id_claims["web_only"] == "web" and "retired" not in id_claims
    access = assert_same_access_token(demo_idp, result.token["access_token"], preview)
    assert access["grant"] == "authorization_code"
    real_userinfo = userinfo(demo_idp, result.token["access_token"])
    if claims:
        assert real_userinfo["nickname"] == "Bob"
    assert_same_response(real_userinfo, preview["userinfo"])
    assert_same_response(
        introspect(demo_idp, result.token["access_token"], *WEB), preview["introspection"]
    )

    refreshed = post_token(
        demo_idp, *WEB, grant_type="refresh_token", refresh_token=result.token["refresh_token"]
    )
    refresh_preview = preview_of(demo_idp, WEB[0], "refresh_token", username, scope)
    assert_same_token(
        demo_idp, refreshed["id_token"], refresh_preview["id_token"], nonce_given=False
    )
    access = assert_same_access_token(demo_idp, refreshed["access_token"], refresh_preview)
    assert access["grant"] == "refresh_token"


def test_client_credentials_matches_the_preview(demo_idp):
    configure_claims()
    token = client_credentials_token(demo_idp, "demo-service", DEMO_SERVICE_SECRET, "api.read")
    preview = preview_of(demo_idp, "demo-service", "client_credentials", None, "api.read")
    assert preview["id_token"]["status"] == "not_issued"
    access = assert_same_access_token(demo_idp, token["access_token"], preview)
    assert access["sub"] == "demo-service" and "login" not in access
    assert_same_response(
        introspect(demo_idp, token["access_token"], "demo-service", DEMO_SERVICE_SECRET),
        preview["introspection"],
    )


@pytest.mark.parametrize(
    ("grant", "dot_grant", "response_type"),
    [
        ("implicit", "implicit", "id_token token"),
        ("hybrid", "openid-hybrid", "code id_token token"),
    ],
)
def test_front_channel_flows_match_the_preview(demo_idp, grant, dot_grant, response_type):
    configure_claims()
    front_channel_app(f"demo-{grant}", dot_grant, demo_idp.base_url)
    scope = "openid profile email"
    params, nonce = front_channel_flow(
        demo_idp,
        client_id=f"demo-{grant}",
        redirect_uri=f"{demo_idp.base_url}/demo/callback",
        response_type=response_type,
        username="carol",
        password="carol-demo-password",
        scope=scope,
    )
    preview = preview_of(demo_idp, f"demo-{grant}", grant, "carol", scope, nonce=nonce)
    id_claims = assert_same_token(
        demo_idp, params["id_token"], preview["id_token"], nonce_given=True
    )
    assert id_claims["grant"] == grant and id_claims["nonce"] == nonce
    assert_same_access_token(demo_idp, params["access_token"], preview)
