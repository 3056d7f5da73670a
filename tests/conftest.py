"""Shared fixtures."""

import pytest
from django.core.cache import caches


@pytest.fixture(autouse=True)
def _clear_caches():
    for cache in caches.all():
        cache.clear()
    yield
