"""Malformed ``Authorization`` headers and user-less tokens get OAuth errors, never a 500."""

from __future__ import annotations

import base64

import pytest
from django.test import Client

from tests.factories import ApplicationFactory
from tests.tokens_support import basic_auth

pytestmark = pytest.mark.django_db


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


# WSGI hands header bytes to Django as latin-1 characters, so "\xff" is the byte 0xFF.
MALFORMED_BASIC = {
    "non-ASCII byte": "Basic \xff\xfe",
    "non-ASCII in the scheme": "B\xe4sic " + b64(b"client:secret"),
    "latin-1 credentials": "Basic " + b64("é:x".encode("latin-1")),
    "bad base64": "Basic !!!",
    "no colon": "Basic " + b64(b"client"),
    "broken percent-encoding": "Basic " + b64(b"client%zz:secret%"),
    "percent-encoded invalid UTF-8": "Basic " + b64(b"client%ff:secret"),
    "empty credentials": "Basic ",
    "scheme only": "Basic",
}


@pytest.fixture
def app():
    return ApplicationFactory(authorization_grant_type="client-credentials")


@pytest.mark.parametrize("header", list(MALFORMED_BASIC.values()), ids=list(MALFORMED_BASIC))
@pytest.mark.parametrize("path", ["/o/token/", "/o/revoke_token/"])
def test_malformed_basic_credentials_are_invalid_client(app, path, header):
    response = Client(raise_request_exception=False).post(
        path, {"grant_type": "client_credentials", "token": "x"}, HTTP_AUTHORIZATION=header
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


@pytest.mark.parametrize("header", list(MALFORMED_BASIC.values()), ids=list(MALFORMED_BASIC))
def test_malformed_basic_credentials_are_refused_at_introspection(app, header):
    response = Client(raise_request_exception=False).post(
        "/o/introspect/", {"token": "x"}, HTTP_AUTHORIZATION=header
    )
    assert response.status_code in (401, 403)


@pytest.mark.parametrize("header", [*MALFORMED_BASIC.values(), "Bearer \xff", "\xff"])
@pytest.mark.parametrize("path", ["/o/userinfo/", "/api/v1/claims/", "/api/hello"])
def test_malformed_credentials_at_bearer_endpoints_are_unauthenticated(path, header):
    response = Client(raise_request_exception=False).get(path, HTTP_AUTHORIZATION=header)
    assert response.status_code in (401, 403)


def test_lowercase_basic_scheme_authenticates_the_client(app):
    header = basic_auth(app.client_id).replace("Basic", "basic")
    response = Client().post(
        "/o/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=header
    )
    assert response.status_code == 200


def test_userinfo_with_a_client_credentials_token_is_invalid_token(app):
    client = Client(raise_request_exception=False)
    token = client.post(
        "/o/token/",
        {"grant_type": "client_credentials", "scope": "openid"},
        HTTP_AUTHORIZATION=basic_auth(app.client_id),
    ).json()["access_token"]
    for method in (client.get, client.post):
        response = method("/o/userinfo/", HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 401
        assert response.json()["error"] == "invalid_token"
        assert response["WWW-Authenticate"].startswith('Bearer error="invalid_token"')


@pytest.mark.parametrize("path", ["/o/authorize/", "/o/token/", "/o/introspect/", "/o/userinfo/"])
@pytest.mark.parametrize("query", ["a=%zz", "%g1=b", "scope=openid%2x"])
def test_broken_percent_encoding_in_the_query_is_invalid_request(app, path, query):
    response = Client(raise_request_exception=False).post(
        f"{path}?{query}",
        {"grant_type": "client_credentials", "token": "x"},
        HTTP_AUTHORIZATION=basic_auth(app.client_id),
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"
