"""More relying-party flows for the token tests: implicit/hybrid at /authorize, refresh,
introspection and userinfo, on top of the lead's Authlib harness (``oidc.py``)."""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import requests

from .browser import Browser
from .oidc import Provider


def front_channel_flow(
    provider: Provider,
    *,
    client_id: str,
    redirect_uri: str,
    response_type: str,
    username: str,
    password: str,
    scope: str = "openid profile email",
) -> tuple[dict[str, str], str]:
    """Implicit or hybrid flow through the real login and consent forms.

    Returns (the parameters of the redirect's fragment, the nonce sent).
    """
    nonce = secrets.token_urlsafe(16)
    query = urlencode(
        {
            "response_type": response_type,
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "scope": scope,
            "state": secrets.token_urlsafe(8),
            "nonce": nonce,
        }
    )
    url = f"{provider.metadata['authorization_endpoint']}?{query}"
    redirect = Browser(provider.base_url, stop_at=redirect_uri).authorize(url, username, password)
    parts = urlsplit(redirect)
    params = {k: v[0] for k, v in parse_qs(parts.query).items()}
    params.update({k: v[0] for k, v in parse_qs(parts.fragment).items()})
    return params, nonce


def post_token(
    provider: Provider, client_id: str, client_secret: str, **data: str
) -> dict[str, Any]:
    response = requests.post(
        provider.metadata["token_endpoint"], data=data, auth=(client_id, client_secret), timeout=30
    )
    assert response.status_code == 200, response.text
    return response.json()


def userinfo(provider: Provider, access_token: str) -> dict[str, Any]:
    response = requests.get(
        provider.metadata["userinfo_endpoint"],
        headers={"Authorization": f"Bearer {access_token}"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.json()


def introspect(
    provider: Provider, token: str, client_id: str, client_secret: str
) -> dict[str, Any]:
    response = requests.post(
        f"{provider.base_url}/o/introspect/",
        data={"token": token},
        auth=(client_id, client_secret),
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.json()
