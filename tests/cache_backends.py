"""Cache backends for tests: a shared cache within one process, and one that is down."""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.locmem import LocMemCache


class SharedLocMemCache(LocMemCache):
    """Local memory standing in for Redis: every "process" of a test shares it."""


class DownCache(BaseCache):
    """A cache server that does not answer: every operation fails, and is counted."""

    calls = 0

    def __init__(self, location: str, params: dict[str, Any]) -> None:
        super().__init__(params)

    def _fail(self, *args: Any, **kwargs: Any) -> Any:
        type(self).calls += 1
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    add = get = set = delete = touch = incr = get_many = set_many = clear = _fail


SHARED = {
    "default": {"BACKEND": "tests.cache_backends.SharedLocMemCache", "LOCATION": "shared"},
}
DOWN = {"default": {"BACKEND": "tests.cache_backends.DownCache"}}
