"""A small fixed-window request counter in Django's cache (shared by every web process when the
cache is Redis). Used by the public "Check a code" page, limited per client address."""

import time

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "30/minute" → (30, 60)."""
    count, _, period = str(rate).partition("/")
    try:
        return int(count), PERIODS[period.strip().removesuffix("s")]
    except (ValueError, KeyError) as error:
        raise ImproperlyConfigured(
            f"A rate is '<number>/<second|minute|hour|day>', not {rate!r}."
        ) from error


def hit(*, scope: str, ident: str, rate: str) -> int | None:
    """Count one request of `ident` in `scope`. None while within `rate`; once over it, the
    seconds until the current window ends (for `Retry-After`)."""
    limit, period = parse_rate(rate)
    now = time.time()
    window = int(now // period)
    key = f"ratelimit:{scope}:{ident}:{window}"
    cache.add(key, 0, timeout=period + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=period + 1)
        count = 1
    if count > limit:
        return max(1, int((window + 1) * period - now))
    return None
