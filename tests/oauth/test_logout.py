"""RP-initiated logout refuses what it cannot serve with DOT's error page, never a 500."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "params",
    [
        {"client_id": "no-such-client"},
        {"client_id": "no-such-client", "post_logout_redirect_uri": "https://rp.example.com/"},
        {"client_id": "no-such-client", "state": "s"},
    ],
)
def test_an_unknown_client_id_is_an_invalid_request(client, params):
    response = client.get("/o/logout/", params)
    assert response.status_code == 400
    assert b"invalid_request" in response.content
    assert b"The client is unknown or no client has been included." in response.content


def test_an_unknown_client_id_in_the_confirmation_form_is_an_invalid_request(client, user):
    client.force_login(user)
    response = client.post("/o/logout/", {"client_id": "no-such-client", "allow": "true"})
    assert response.status_code == 400
    assert b"invalid_request" in response.content


def test_a_known_client_without_a_hint_asks_the_user(client, user, app):
    client.force_login(user)
    response = client.get("/o/logout/", {"client_id": app.client_id})
    assert response.status_code == 200
    assert b'name="allow"' in response.content
