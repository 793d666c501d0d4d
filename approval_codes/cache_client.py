"""The Redis client behind Django's cache, when the cache is Redis (None otherwise).

Django's cache builds a new client for every operation, which costs more than the round trip
on the donor API's hot path; one redis-py client per process is thread-safe and shares the
cache's connection pool. The donor API reads and writes its own keys through it (plain strings,
no pickling), under the cache's key prefix.
"""

import functools

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache


@functools.cache
def redis_client():
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None
    return backend._cache.get_client(write=True)


def key(name: str) -> str:
    """`name` under the cache's prefix and version, as Django's cache would store it."""
    return caches["default"].make_key(name)
