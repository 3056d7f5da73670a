"""The API's schema and Swagger UI answer any method and credentials without a server error."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/docs/", "/api/schema/"])
@pytest.mark.parametrize("accept", [None, "application/json", "text/html", "\xff"])
@pytest.mark.parametrize("method", ["GET", "HEAD", "POST", "OPTIONS", "PUT"])
@pytest.mark.parametrize("authorization", ["Basic YTpi", "Basic", "Bearer x"])
def test_docs_and_schema_never_answer_5xx(method, accept, path, authorization):
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(is_staff=True))
    extra = {"HTTP_ACCEPT": accept} if accept else {}
    response = client.generic(method, path, HTTP_AUTHORIZATION=authorization, **extra)
    assert response.status_code < 500
    if method == "GET" and accept in (None, "text/html") and path == "/api/docs/":
        assert response.status_code == 200
