"""The served OpenAPI schema: valid, browsable without a CDN, and true to the API (schemathesis)."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)

from tests.api_helpers import issue_token
from tests.factories import (
    ApplicationFactory,
    AppProfileFactory,
    ClaimDefinitionFactory,
    UserFactory,
)
from tests.tokens_support import CLAIMS_API_AUDIENCE

SCHEMA_URL = "/api/schema/?format=json"


def test_the_schema_is_served_as_openapi_3_with_every_endpoint():
    response = Client().get(SCHEMA_URL)
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/claims/",
        "/api/v1/claims/{id}/",
        "/api/v1/app-profiles/",
        "/api/v1/app-profiles/{client_id}/",
        "/api/v1/claim-tests/",
        "/api/v1/claim-tests/{id}/",
        "/api/v1/claim-tests/run/",
        "/api/v1/preview/",
        "/api/v1/export/",
        "/api/v1/import/",
        "/api/v1/import/okta/",
        "/api/v1/revisions/",
        "/api/v1/revisions/{id}/",
        "/api/v1/revisions/{id}/rollback/",
    }
    # Operations state the OAuth 2 scopes they accept.
    create = schema["paths"]["/api/v1/claims/"]["post"]
    assert {"oauth2": ["claims.manage"]} in create["security"]
    listing = schema["paths"]["/api/v1/claims/"]["get"]
    assert {"oauth2": ["claims.read"]} in listing["security"]
    parameters = {p["name"] for p in listing["parameters"]}
    assert parameters == {"destination", "enabled", "application"}


def test_swagger_ui_loads_its_assets_from_this_site():
    response = Client().get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in html
    assert "cdn." not in html and "unpkg" not in html


@pytest.fixture
def manage_token(settings):
    """A superuser's token with the manage scope, and data for the generated requests to hit.

    The generated requests may name another host than the test client's: the token is for
    the API's configured audience rather than for a resource URL on one host.
    """
    settings.OIDC_CLAIMS = {"API_AUDIENCE": CLAIMS_API_AUDIENCE}
    user = UserFactory(is_staff=True, is_superuser=True)
    portal = ApplicationFactory(client_id="portal")
    AppProfileFactory(application=portal, data={"label": "Sales"})
    ClaimDefinitionFactory(name="department", applications=[portal])
    ClaimDefinitionFactory(name="groups", groups_claim=True, value="eng")
    UserFactory(username="ada")
    token = issue_token(
        user, "claims.manage", resource=None, default_audience=CLAIMS_API_AUDIENCE
    )
    for host in ("testserver", "localhost"):
        accepted = Client(HTTP_HOST=host).get(
            "/api/v1/claims/", HTTP_AUTHORIZATION=f"Bearer {token}"
        )
        assert accepted.status_code == 200, accepted.content
    # The generated requests go straight to the WSGI handler, whose request_finished signal
    # would close the connection holding the test's transaction (on PostgreSQL). Django's
    # test client disconnects the handler the same way (and reconnects it after each of its
    # requests, hence only now, after issue_token).
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield token
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


# Loaded from the running app (in-process, through WSGI) when the module is collected:
# pytest-django has configured Django by then, and serving the schema needs no database.
schema = schemathesis.openapi.from_wsgi(SCHEMA_URL, get_wsgi_application())
# The schema's examples and max_examples generated cases per operation; schemathesis's
# coverage phase is left out because max_examples does not bound it.
schema.config.phases.update(phases=["examples", "fuzzing"])


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    # Explicit examples and generated ones; no shrinking, which only matters on failure and
    # then costs far more examples than the bound.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_generated_requests_get_no_server_error_and_conform_to_the_schema(case, manage_token):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {manage_token}"},
        checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
    )
