"""The consent page lists exactly the claims the engine would release, not a fixed promise."""

from __future__ import annotations

from html import unescape

import pytest

from oidc_claims.models import ClaimDefinition
from tests.factories import ApplicationFactory, ClaimDefinitionFactory, UserFactory
from tests.tokens_support import authorize

pytestmark = pytest.mark.django_db


@pytest.fixture
def consenting(client):
    user = UserFactory(username="ada", email="ada@example.com", groups=["eng"])
    client.force_login(user)
    return client


@pytest.fixture
def app():
    return ApplicationFactory(client_id="portal", skip_authorization=False)


def released(response) -> dict[str, tuple[str, str]]:
    """claim name -> (value, destinations) as the consent page shows them."""
    page = unescape(response.content.decode())
    table = page.split('id="released-claims"', 1)[1].split("</table>", 1)[0]
    rows = {}
    for row in table.split('<tr class="released-claim"')[1:]:
        cells = [cell.split("</td>", 1)[0] for cell in row.split("<td>")[1:]]
        name = cells[0].removeprefix("<code>").removesuffix("</code>")
        rows[name] = (cells[1], cells[2])
    return rows


def test_the_page_lists_the_standard_claims_the_scopes_release(standard_claims, consenting, app):
    status, _, response = authorize(consenting, app, scope="openid profile email")
    assert status == 200
    assert released(response) == {
        "email": ("ada@example.com", "profile lookups"),
        "family_name": ("Lovelace", "profile lookups"),
        "given_name": ("Ada", "profile lookups"),
        "name": ("Ada Lovelace", "profile lookups"),
        "preferred_username": ("ada", "profile lookups"),
    }
    assert 'name="allow"' in response.content.decode()


def test_without_scopes_nothing_but_the_identifier(standard_claims, consenting, app):
    status, _, response = authorize(consenting, app, scope="openid")
    assert status == 200
    assert released(response) == {}
    assert "Nothing else about you." in response.content.decode()


def test_the_page_follows_the_configuration_and_the_flow(standard_claims, consenting, app):
    ClaimDefinition.objects.filter(name__in=["name", "given_name"]).update(enabled=False)
    ClaimDefinitionFactory(
        name="groups", groups_claim=True, value="e", include_in_access_token=True
    )
    status, _, response = authorize(consenting, app, scope="openid profile")
    assert status == 200
    shown = released(response)
    assert "name" not in shown and "given_name" not in shown
    assert shown["groups"] == ('["eng"]', "sign-in token, access token, profile lookups")
    implicit = ApplicationFactory(
        client_id="implicit", skip_authorization=False, authorization_grant_type="implicit"
    )
    status, _, response = authorize(
        consenting, implicit, response_type="id_token", scope="openid email"
    )
    assert status == 200
    # No access token: the ID token carries the standard claims (Core 5.4).
    assert released(response)["email"] == ("ada@example.com", "sign-in token")
