"""Fixtures of the conformance tests: the demo OP over HTTP, registered with the clients of
the OpenID Foundation's Basic, Implicit, Hybrid and Config OP test plans."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from oauth2_provider.models import get_application_model

from oidc_claims.tokens.auth_time import SESSION_KEY
from tests.e2e.browser import Browser, close_sessions
from tests.e2e.oidc import Provider

from .rp import RelyingParty, User

# The test user of the plans: alice of the demo data (names, email, groups).
ALICE = User("alice", "alice-demo-password")
BOB = User("bob", "bob-demo-password")

SECRET = "conformance-secret-Cz7Rm2Vf9Lp4Xw8Tk3Hn"
# client id -> DOT grant type: one client per plan, as the suite registers them.
CLIENTS = {
    "conformance-code": "authorization-code",
    # The second client of the plans (refresh tokens are bound to their client).
    "conformance-code-2": "authorization-code",
    "conformance-implicit": "implicit",
    "conformance-hybrid": "openid-hybrid",
}


@dataclass
class OpenIDProvider:
    """The OP under test and its registered clients."""

    provider: Provider

    @property
    def base_url(self) -> str:
        return self.provider.base_url

    @property
    def redirect_uri(self) -> str:
        return f"{self.base_url}/demo/callback"

    def client(
        self,
        client_id: str = "conformance-code",
        *,
        auth_method: str = "client_secret_basic",
        response_type: str = "code",
    ) -> RelyingParty:
        return RelyingParty(
            provider=self.provider,
            client_id=client_id,
            client_secret=SECRET,
            redirect_uri=self.redirect_uri,
            auth_method=auth_method,
            response_type=response_type,
        )


def move_sign_in_back(browser: Browser, seconds: int) -> int:
    """Make the browser's sign-in ``seconds`` older in its stored session (instead of
    waiting); returns the new sign-in time."""
    session = SessionStore(session_key=browser.session.cookies["sessionid"])
    session[SESSION_KEY] -= seconds
    session.save()
    return session[SESSION_KEY]


@pytest.fixture
def op(live_server) -> OpenIDProvider:
    """The example project served over HTTP with its demo users, no claim configuration,
    and one confidential client per plan (code, implicit, hybrid), none pre-approved."""
    call_command("seed_demo", base_url=live_server.url, no_claims=True, stdout=io.StringIO())
    Application = get_application_model()
    for client_id, grant_type in CLIENTS.items():
        Application.objects.create(
            client_id=client_id,
            client_secret=SECRET,
            name=f"Conformance {grant_type}",
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=grant_type,
            redirect_uris=f"{live_server.url}/demo/callback",
            algorithm=Application.RS256_ALGORITHM,
        )
    return OpenIDProvider(Provider.discover(live_server.url))


@pytest.fixture(params=["client_secret_basic", "client_secret_post"])
def basic_rp(op, request) -> RelyingParty:
    """The Basic OP plan's code-flow client, once per token-endpoint authentication method."""
    return op.client(auth_method=request.param)


@pytest.fixture(autouse=True)
def _close_http_sessions():
    yield
    close_sessions()
