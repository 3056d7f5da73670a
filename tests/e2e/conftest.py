"""Fixtures for end-to-end tests: a live IdP server seeded with the demo data."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from .browser import close_sessions
from .oidc import Provider


@pytest.fixture
def demo_idp(live_server) -> Provider:
    """The example project served over HTTP, seeded by its own `seed_demo` command."""
    call_command("seed_demo", base_url=live_server.url, stdout=io.StringIO())
    return Provider.discover(live_server.url)


@pytest.fixture(autouse=True)
def _close_http_sessions():
    yield
    close_sessions()
