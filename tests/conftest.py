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
