"""Per-key throttling of the donor API: a fixed-window counter in Django's cache (Redis in
production, so every web process shares it).

The rate is `settings.APPROVAL_CODES_API_RATE` ("600/minute"), read once at import. A window
is one period long and starts on a multiple of the period; each request adds one to the
window's counter, and a request past the limit is refused until the next window starts.
"""

import math
import time

from django.conf import settings
from django.core.cache import cache

_PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """'600/minute' → (600, 60)."""
    count, _, period = rate.partition("/")
    return int(count), _PERIODS[period.strip().rstrip("s")]


LIMIT, PERIOD = parse_rate(settings.APPROVAL_CODES_API_RATE)
clock = time.time


def _count(key: str, timeout: int) -> int:
    """Add one to the counter `key` and return it (one cache round trip when it exists)."""
    try:
        return cache.incr(key)
    except ValueError:  # the window's first request
        if cache.add(key, 1, timeout):
            return 1
        return cache.incr(key)


def hit(subject: str) -> int | None:
    """Count a request by `subject`; None when it is allowed, otherwise the whole seconds until
    the next window (the `Retry-After`)."""
    now = clock()
    window = int(now // PERIOD)
    if _count(f"throttle:{subject}:{window}", PERIOD + 1) <= LIMIT:
        return None
    return max(1, math.ceil((window + 1) * PERIOD - now))
