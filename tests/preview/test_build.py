"""build_preview(): full payloads of every grant, unsigned, unsaved, with the engine's trace."""

from __future__ import annotations

import base64
import json

import pytest
from django.test import RequestFactory, override_settings
from oauth2_provider.models import get_access_token_model, get_id_token_model
from oauthlib.oauth2.rfc6749.errors import InvalidRequestError

from oidc_claims.preview.build import build_preview
from oidc_claims.preview.token_sizes import (
    COOKIE_LIMIT_BYTES,
    HEADER_LIMIT_BYTES,
    size_warnings,
    unsecured_jwt,
)
from oidc_claims.tokens.builders import key_id
from tests.factories import (
    ApplicationFactory,
    AppProfileFactory,
    ClaimDefinitionFactory,
    UserFactory,
)
from tests.tokens_support import stored_subject

pytestmark = pytest.mark.django_db

EVERYWHERE = {
    "include_in_id_token": True,
    "include_in_access_token": True,
    "include_in_userinfo": True,
}


@pytest.fixture
def http_request():
    return RequestFactory().get("/admin/", HTTP_HOST="idp.example.com")


@pytest.fixture
def app():
    application = ApplicationFactory(client_id="portal", name="Portal")
    AppProfileFactory(application=application, data={"label": "Staff portal"})
    return application


# The groups of the `user` fixture, ada (tests/conftest.py).
USER_GROUPS = ["eng-a", "sales"]


def preview(app, user, scopes=("openid",), grant="authorization_code", http_request=None, **kw):
    http_request = http_request or RequestFactory().get("/", HTTP_HOST="idp.example.com")
    return build_preview(app, grant, user, list(scopes), request=http_request, **kw)


def test_code_flow_builds_full_payloads_of_every_destination(app, user):
    ClaimDefinitionFactory(
        name="login", value='String.substringBefore(user.email, "@")', **EVERYWHERE
    )
    ClaimDefinitionFactory(name="groups", value="eng", groups_claim=True, **EVERYWHERE)
    ClaimDefinitionFactory(
        name="label",
        value="app.profile.label",
        include_in_id_token=False,
        include_in_userinfo=False,
        include_in_access_token=True,
    )

    result = preview(app, user, scopes=["openid", "email"], nonce="n-1")

    issuer = "http://idp.example.com/o"
    id_token = result["id_token"]
    assert id_token["status"] == "issued"
    assert id_token["header"] == {"typ": "JWT", "alg": "RS256", "kid": key_id()}
    payload = id_token["payload"]
    assert payload["login"] == "ada" and payload["groups"] == ["eng-a"]
    assert "label" not in payload
    assert payload["iss"] == issuer and payload["aud"] == "portal"
    assert payload["sub"] == stored_subject(user)
    assert payload["nonce"] == "n-1"
    assert payload["exp"] > payload["iat"] and "jti" in payload

    access = result["access_token"]
    assert access["header"] == {"typ": "at+jwt", "alg": "RS256", "kid": key_id()}
    assert access["payload"]["label"] == "Staff portal"
    assert access["payload"]["client_id"] == "portal"
    assert access["payload"]["scope"] == "openid email"
    assert access["payload"]["aud"] == "portal"

    assert result["userinfo"]["payload"] == {
        "login": "ada",
        "groups": ["eng-a"],
        "sub": stored_subject(user),
    }
    introspection = result["introspection"]["payload"]
    assert introspection["active"] is True and introspection["username"] == "ada"
    assert introspection["label"] == "Staff portal"
    assert introspection["jti"] == access["payload"]["jti"]
    json.dumps(result)  # the REST API returns it as is


def test_nothing_is_signed_or_saved(app, user, django_assert_max_num_queries):
    ClaimDefinitionFactory(name="login", value="user.login", **EVERYWHERE)
    result = preview(app, user)
    assert result["signed"] is False
    assert get_access_token_model().objects.count() == 0
    assert get_id_token_model().objects.count() == 0
    for key in ("id_token", "access_token"):
        unsecured = result[key]["unsecured"]
        header, payload, signature = unsecured.split(".")
        assert signature == ""
        decoded = json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))
        assert decoded["alg"] == "none" and "kid" not in decoded
        body = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        assert body == result[key]["payload"]


def test_encoded_size_counts_an_rs256_signature(app, user):
    result = preview(app, user)
    panel = result["id_token"]
    unsigned_length = len(unsecured_jwt(panel["header"], panel["payload"]))
    # 2048-bit RSA: 256 signature bytes, 342 base64url characters; the header differs
    # only by its kid and alg.
    assert panel["size"] > unsigned_length + 300


def test_size_warnings_past_cookie_and_header_limits(app, user):
    for index in range(3):  # each under the expression length limit
        ClaimDefinitionFactory(name=f"blob{index}", value='"' + "x" * 2500 + '"', **EVERYWHERE)
    result = preview(app, user)
    warnings = result["id_token"]["size_warnings"]
    assert result["id_token"]["size"] > HEADER_LIMIT_BYTES
    assert len(warnings) == 2 and "cookie" in warnings[0] and "header" in warnings[1]
    assert size_warnings(COOKIE_LIMIT_BYTES) == []
    assert len(size_warnings(COOKIE_LIMIT_BYTES + 1)) == 1


def test_client_credentials_has_no_user_id_token_or_userinfo(app, user):
    ClaimDefinitionFactory(name="label", value="app.profile.label", **EVERYWHERE)
    ClaimDefinitionFactory(name="mail", value="user.email", **EVERYWHERE)
    result = preview(app, user, grant="client_credentials")
    assert result["inputs"]["user"] is None
    assert result["id_token"]["status"] == "not_issued"
    assert result["userinfo"]["status"] == "not_issued"
    access = result["access_token"]["payload"]
    assert access["sub"] == "portal" and access["label"] == "Staff portal"
    assert "mail" not in access and "auth_time" not in access
    assert "username" not in result["introspection"]["payload"]
    # The portal is an authorization-code client: a real request would be refused.
    assert any("unauthorized_client" in warning for warning in result["warnings"])


@pytest.mark.parametrize("grant", ["implicit", "hybrid", "refresh_token"])
def test_other_user_grants_issue_an_id_token_and_see_their_grant_type(app, user, grant):
    ClaimDefinitionFactory(name="grant", value="access.grantType", **EVERYWHERE)
    result = preview(app, user, grant=grant, nonce="n-2")
    assert result["id_token"]["payload"]["grant"] == grant
    assert result["access_token"]["payload"]["grant"] == grant
    assert ("nonce" in result["id_token"]["payload"]) is (grant != "refresh_token")


def test_password_grant_issues_no_id_token(app, user):
    result = preview(app, user, grant="password")
    assert result["id_token"]["status"] == "not_issued"
    assert result["access_token"]["status"] == "issued"


def test_without_openid_scope_no_id_token_and_no_userinfo(app, user):
    result = preview(app, user, scopes=["profile"])
    assert result["id_token"]["status"] == "not_issued"
    assert result["userinfo"]["status"] == "not_issued"
    assert result["access_token"]["payload"]["scope"] == "profile"


def test_claims_parameter_brings_identity_claims_into_userinfo(app, user):
    ClaimDefinitionFactory(
        name="mail", value="user.email", include_in_id_token=True, include_in_userinfo=False
    )
    result = preview(app, user, claims_parameter='{"userinfo": {"mail": null}}')
    assert result["userinfo"]["payload"]["mail"] == "ada@example.com"
    reasons = {(row["destination"], row["reason"]) for row in result["trace"]}
    assert ("userinfo", "requested") in reasons
    # A refresh request carries no claims parameter.
    refreshed = preview(
        app, user, grant="refresh_token", claims_parameter='{"userinfo": {"mail": null}}'
    )
    assert "mail" not in refreshed["userinfo"]["payload"]


def test_malformed_claims_parameter_is_invalid_request(app, user):
    with pytest.raises(InvalidRequestError):
        preview(app, user, claims_parameter='{"userinfo": []}')


def test_group_limit_refuses_the_token_request(app, user):
    user.groups.add(
        *[
            UserFactory._meta.model.groups.rel.model.objects.create(name=f"eng-{i}")
            for i in range(3)
        ]
    )
    ClaimDefinitionFactory(
        name="groups", value="eng", groups_claim=True, group_limit=2, **EVERYWHERE
    )
    result = preview(app, user)
    assert result["access_token"]["status"] == "refused"
    assert result["id_token"]["status"] == "refused"
    assert "groups" in result["refused"] and "2" in result["refused"]


def test_opaque_access_tokens_are_previewed_by_introspection(app, user):
    ClaimDefinitionFactory(name="label", value="app.profile.label", **EVERYWHERE)
    with override_settings(OIDC_CLAIMS={"ACCESS_TOKEN_FORMAT": "opaque"}):
        result = preview(app, user)
    assert result["access_token"]["format"] == "opaque"
    assert result["access_token"]["payload"] is None
    introspection = result["introspection"]["payload"]
    assert introspection["label"] == "Staff portal" and "jti" not in introspection


def test_issuer_setting_needs_no_request(app, user):
    from oauth2_provider.settings import oauth2_settings

    with override_settings(
        OAUTH2_PROVIDER={**_dot_settings(), "OIDC_ISS_ENDPOINT": "https://idp.test"}
    ):
        assert oauth2_settings.OIDC_ISS_ENDPOINT == "https://idp.test"
        result = build_preview(app, "authorization_code", user, ["openid"])
    assert result["id_token"]["payload"]["iss"] == "https://idp.test"
    with pytest.raises(ValueError, match="OIDC_ISS_ENDPOINT"):
        build_preview(app, "authorization_code", user, ["openid"])


def test_user_grants_need_a_user_and_known_grant(app):
    with pytest.raises(ValueError, match="user"):
        preview(app, None)
    with pytest.raises(ValueError, match="grant"):
        preview(app, None, grant="device_code")


def test_unknown_scope_is_warned(app, user):
    result = preview(app, user, scopes=["openid", "not-a-scope"])
    assert any(
        "not-a-scope" in warning and "invalid_scope" in warning for warning in result["warnings"]
    )


def _dot_settings():
    from django.conf import settings

    return dict(settings.OAUTH2_PROVIDER)
