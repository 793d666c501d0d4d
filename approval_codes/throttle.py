"""Per-key throttling of the donor API: a fixed-window counter in Django's cache (Redis in
production, so every web process shares it).

The rate is `settings.APPROVAL_CODES_API_RATE` ("600/minute"), read once at import. A window
is one period long and starts on a multiple of the period; each request adds one to the
window's counter, and a request past the limit is refused until the next window starts.
"""

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


def _count(key: str, timeout: int) -> int:
    """Add one to the counter `key`, made with `timeout` if new, and return it."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        # One round trip instead of Django's two or three (exists + incrby; add): both
        # commands in one pipeline, on the key Django's cache uses (ints are stored as is).
        key = backend.make_and_validate_key(key)
        pipeline = backend._cache.get_client(key, write=True).pipeline(transaction=False)
        pipeline.set(key, 0, ex=timeout, nx=True)
        pipeline.incr(key)
        return pipeline.execute()[1]
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
