"""Django's Redis cache, failing open: while Redis is unreachable every cache call goes to a
per-process memory cache instead, so rate limits (ours and allauth's) keep counting in each
process and no request fails because the cache is down. A warning is logged at most once a
minute while it lasts."""

import functools
import logging
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisError, OSError)
WARN_EVERY_SECONDS = 60
_last_warning = [float("-inf")]

# One per process, shared by every FailOpenRedisCache (and by the rate limiter's counter).
fallback = LocMemCache("clearinghouse-fallback", {"OPTIONS": {"MAX_ENTRIES": 10_000}})


def warn_unreachable(error: Exception) -> None:
    """Log that Redis is unreachable, at most once a minute per process."""
    now = time.monotonic()
    if now - _last_warning[0] >= WARN_EVERY_SECONDS:
        _last_warning[0] = now
        logger.warning(
            "Redis is unreachable (%s); the cache and rate limits use this process's memory "
            "until it is back.",
            error,
        )


def _fail_open(name):
    def method(self, *args, **kwargs):
        try:
            return getattr(super(FailOpenRedisCache, self), name)(*args, **kwargs)
        except UNREACHABLE as error:
            warn_unreachable(error)
            return getattr(fallback, name)(*args, **kwargs)

    method.__name__ = name
    return functools.wraps(getattr(RedisCache, name))(method)


class FailOpenRedisCache(RedisCache):
    fallback = fallback


for _name in (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "set_many",
    "delete_many",
    "clear",
):
    setattr(FailOpenRedisCache, _name, _fail_open(_name))
