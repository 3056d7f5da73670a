"""Shared fixtures."""

import pytest
from django.core.cache import caches


@pytest.fixture(autouse=True)
def _clear_caches():
    for cache in caches.all():
        cache.clear()
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
    from oidc_claims.standard_claims import seed_standard_claims

    return seed_standard_claims()
