"""Acceptance 4: client-credentials tokens carry no claim about a user, and the preview says why."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from oauth2_provider.models import get_application_model

from example_project.management.commands.seed_demo import DEMO_SERVICE_SECRET

from .browser import Browser
from .flows_tokens import introspect
from .oidc import client_credentials_token

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The demo's claims that read the user: a groups claim, a group-membership expression and a
# user attribute. app_label reads only the application.
USER_CLAIMS = ("groups", "team", "login_name")


def test_client_credentials_tokens_carry_no_user_dependent_claim(demo_idp_with_claims):
    idp = demo_idp_with_claims
    token = client_credentials_token(idp, "demo-service", DEMO_SERVICE_SECRET)
    _, access = idp.verify_jwt(token["access_token"], audience="demo-service", typ="at+jwt")
    assert access["sub"] == "demo-service"
    assert access["app_label"] == "Demo service (client credentials)"
    assert not set(USER_CLAIMS) & set(access), access
    inspected = introspect(idp, token["access_token"], "demo-service", DEMO_SERVICE_SECRET)
    assert inspected["active"] is True
    assert not set(USER_CLAIMS) & set(inspected), inspected


def test_the_admin_preview_trace_shows_no_user(demo_idp_with_claims):
    idp = demo_idp_with_claims
    service = get_application_model().objects.get(client_id="demo-service")
    browser = Browser(idp.base_url)
    login_page = browser.get("/admin/login/?next=/admin/")
    browser.submit(login_page, {"username": "admin", "password": "admin-demo-password"})
    query = urlencode(
        {"application": service.pk, "grant_type": "client_credentials", "scopes": "groups"}
    )
    page = browser.get(f"{reverse('admin:oidc_claims_claimdefinition_preview')}?{query}")
    assert page.status_code == 200
    rows = {(cells[0], cells[1]): cells[2] for cells in trace_rows(page.text)}
    assert rows[("Access token", "team")].endswith("no_user")
    assert rows[("Access token", "groups")].endswith("no_user")
    assert rows[("Access token", "app_label")].endswith("included")


def trace_rows(html: str) -> list[list[str]]:
    """The text of each cell of each row of the preview's trace table."""
    table = html.split('id="trace"', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    return [
        [
            " ".join(unescape(re.sub(r"<[^>]+>", " ", cell)).split())
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]
