"""Shared fixtures, and the markers `make test-fast` leaves out."""

from pathlib import Path

import pytest
from django.core.cache import caches

BROWSER_TESTS = Path(__file__).parent / "browser"
# End-to-end folders: every test there serves the site over HTTP (live server or processes).
SERVER_TESTS = (Path(__file__).parent / "e2e", Path(__file__).parent / "conformance")


def pytest_collection_modifyitems(config, items):
    # Marked from what a test uses, not by hand: a test that starts a live server cannot
    # forget its marker.
    for item in items:
        parents = Path(item.fspath).parents
        if BROWSER_TESTS in parents:
            item.add_marker(pytest.mark.browser)
        if "live_server" in getattr(item, "fixturenames", ()) or any(
            folder in parents for folder in SERVER_TESTS
        ):
            item.add_marker(pytest.mark.live_server)


@pytest.fixture(autouse=True)
def _clear_caches():
    from oidc_claims.models.key_store import forget_key_set

    for cache in caches.all():
        cache.clear()
    # The process's key set may hold keys of a rolled-back test.
    forget_key_set()
    yield


@pytest.fixture
def local_api_audience(settings):
    """JWTAccessTokenAuthentication configured with the audience of the test resource views."""
    from tests.tokens_support import local_api_settings

    settings.OIDC_CLAIMS = local_api_settings()


@pytest.fixture
def standard_claims(db):
    """OpenID Connect's standard claims as a site gets them out of the box (the test settings
    turn the seeding after migrate off, so that other tests start from no claims)."""
    from oidc_claims.models.standard_claims import seed_standard_claims

    return seed_standard_claims()


@pytest.fixture
def api(request, db):
    """A DRF test client logged in as a user with the test module's ``API_PERMISSIONS``
    (oidc_claims codenames; all of them by default)."""
    from rest_framework.test import APIClient

    from tests.api_helpers import ALL_PERMS, user_with

    client = APIClient(
        raise_request_exception=getattr(request.module, "API_RAISE_REQUEST_EXCEPTION", True)
    )
    client.force_login(user_with(*getattr(request.module, "API_PERMISSIONS", ALL_PERMS)))
    return client


@pytest.fixture
def user(request, db):
    """Ada (ada@example.com), in the test module's ``USER_GROUPS`` (none by default)."""
    from tests.factories import UserFactory

    return UserFactory(
        username="ada", email="ada@example.com", groups=getattr(request.module, "USER_GROUPS", [])
    )


@pytest.fixture
def app(db):
    """A confidential application, client id "portal" (modules needing more define their own)."""
    from tests.factories import ApplicationFactory

    return ApplicationFactory(client_id="portal")


@pytest.fixture
def superuser_client(client, db):
    """Django's test client, logged in as the superuser "root"."""
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def portal(db):
    """An application whose profile says its tier is gold."""
    from tests.factories import ApplicationFactory, AppProfileFactory

    app = ApplicationFactory(client_id="portal")
    AppProfileFactory(application=app, data={"tier": "gold"})
    return app


@pytest.fixture
def tier(portal):
    """A claim read from the portal's profile, and a claim test that it is gold (the claim-test
    gate's tests change the claim and see the test fail)."""
    from tests.api_helpers import gold
    from tests.factories import ClaimDefinitionFactory, ClaimTestFactory, UserFactory

    definition = ClaimDefinitionFactory(name="tier", value="app.profile.tier")
    ClaimTestFactory(
        name="portal users are gold", application=portal, user=UserFactory(), expectations=[gold()]
    )
    return definition


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, dropped at the end only once nothing else uses it.

    A live server's request threads close their connections when their request ends, which
    may be a moment after the test that sent it; connections of finished threads close when
    they are collected. Both are waited for here (15 s at most): a connection still open after
    that is a leak, and dropping the database then fails the run (pyproject's filterwarnings).
    """
    yield
    import gc
    import time

    from django.db import connection, connections

    gc.collect()
    connections.close_all()
    if connection.vendor != "postgresql":
        return
    name = connection.settings_dict["NAME"]
    deadline = time.monotonic() + 15
    with django_db_blocker.unblock():
        while time.monotonic() < deadline:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> "
                    "pg_backend_pid()",
                    [name],
                )
                if cursor.fetchone()[0] == 0:
                    break
            time.sleep(0.2)
    connections.close_all()
