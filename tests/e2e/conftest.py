"""Fixtures for end-to-end tests: a live IdP server seeded with the demo data."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from .browser import close_sessions
from .oidc import Provider


@pytest.fixture
def demo_idp(live_server) -> Provider:
    """The example project served over HTTP with the demo users and clients of its own
    `seed_demo` command, and no claim configuration (tests configure their own)."""
    call_command("seed_demo", base_url=live_server.url, no_claims=True, stdout=io.StringIO())
    return Provider.discover(live_server.url)


@pytest.fixture
def demo_idp_with_claims(live_server) -> Provider:
    """The example project exactly as `make demo` seeds it, demo claims included."""
    call_command("seed_demo", base_url=live_server.url, stdout=io.StringIO())
    return Provider.discover(live_server.url)


@pytest.fixture(autouse=True)
def _close_http_sessions():
    yield
    close_sessions()
