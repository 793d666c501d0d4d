"""Per-key throttling of the donor API: a fixed-window counter in Django's cache (Redis in
production, so every web process shares it).

The rate is `settings.APPROVAL_CODES_API_RATE` ("600/minute"), read once at import. A window
is one period long and starts on a multiple of the period; each request adds one to the
window's counter, and a request past the limit is refused until the next window starts.
"""

import functools
import math
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

_PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """'600/minute' → (600, 60)."""
    count, _, period = rate.partition("/")
    return int(count), _PERIODS[period.strip().rstrip("s")]


LIMIT, PERIOD = parse_rate(settings.APPROVAL_CODES_API_RATE)
clock = time.time


# Count and, for a window's first request, set the expiry: atomic, one round trip.
_REDIS_COUNT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""


@functools.cache
def _redis_count_script():
    """The count script on one Redis client for the process (Django's cache builds a new client
    for every operation, which costs more than the round trip); redis-py clients are
    thread-safe and share the cache's connection pool."""
    client = caches["default"]._cache.get_client(write=True)
    return client.register_script(_REDIS_COUNT)


def _count(key: str, timeout: int) -> int:
    """Add one to the counter `key`, made with `timeout` if new, and return it."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        return _redis_count_script()(keys=[backend.make_and_validate_key(key)], args=[timeout])
    try:
        return backend.incr(key)
    except ValueError:  # the window's first request
        if backend.add(key, 1, timeout):
            return 1
        return backend.incr(key)


def hit(subject: str) -> int | None:
    """Count a request by `subject`; None when it is allowed, otherwise the whole seconds until
    the next window (the `Retry-After`)."""
    now = clock()
    window = int(now // PERIOD)
    if _count(f"throttle:{subject}:{window}", PERIOD + 1) <= LIMIT:
        return None
    return max(1, math.ceil((window + 1) * PERIOD - now))
