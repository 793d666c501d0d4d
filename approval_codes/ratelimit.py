"""A small fixed-window request counter in Django's cache (shared by every web process when the
cache is Redis). Limits the public "Check a code" page per client address and the donor API
per key.

A window is one period long and starts on a multiple of the period; each request adds one to
the window's counter, and a request past the limit is refused until the next window starts.
"""

import functools
import logging
import math
import threading
import time

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured

from clearinghouse import cache as fail_open

PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
clock = time.time


@functools.cache
def parse_rate(rate: str) -> tuple[int, int]:
    """ "30/minute" → (30, 60)."""
    count, _, period = str(rate).partition("/")
    try:
        return int(count), PERIODS[period.strip().removesuffix("s")]
    except (ValueError, KeyError) as error:
        raise ImproperlyConfigured(
            f"A rate is '<number>/<second|minute|hour|day>', not {rate!r}."
        ) from error


def hit(*, scope: str, ident: str, rate: str, now: float | None = None) -> int | None:
    """Count one request of `ident` in `scope`. None while within `rate`; once over it, the
    whole seconds until the current window ends (for `Retry-After`)."""
    limit, period = parse_rate(rate)
    now = clock() if now is None else now
    window = int(now // period)
    name = counter_name(scope, ident, window)
    try:
        count = _count(name, period + 1)
    except Exception:  # the cache cannot be reached: count in this process meanwhile
        _log_outage()
        count = _count_here(name, window)
    if count <= limit:
        return None
    return max(1, math.ceil((window + 1) * period - now))


def counter_name(scope: str, ident: str, window: int) -> str:
    return f"ratelimit:{scope}:{ident}:{window}"


_here: dict[str, int] = {}
_here_lock = threading.Lock()
_last_outage_log = [0.0]


def _count_here(name: str, window: int) -> int:
    """A per-process counter for while the shared cache is down (a looser limit, not none)."""
    with _here_lock:
        if len(_here) > 10_000:
            _here.clear()
        _here[name] = _here.get(name, 0) + 1
        return _here[name]


def _log_outage() -> None:
    if time.monotonic() - _last_outage_log[0] > 60:
        _last_outage_log[0] = time.monotonic()
        logging.getLogger(__name__).warning(
            "Rate limits cannot reach the cache; counting per process", exc_info=True
        )


# Count and, for a window's first request, set the expiry: atomic, one round trip.
_REDIS_COUNT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""


@functools.cache
def _redis_count_script():
    """The count script on one Redis client for the process (Django's cache builds a new client
    for every operation, which costs more than the round trip on the donor API's hot path);
    redis-py clients are thread-safe and share the cache's connection pool."""
    client = caches["default"]._cache.get_client(write=True)
    return client.register_script(_REDIS_COUNT)


def _count(key: str, timeout: int) -> int:
    """Add one to the counter `key`, made with `timeout` if new, and return it. While Redis is
    unreachable the count is kept in this process (fails open, never fails the request)."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        try:
            return _redis_count_script()(keys=[backend.make_and_validate_key(key)], args=[timeout])
        except fail_open.UNREACHABLE as error:
            fail_open.warn_unreachable(error)
            backend = fail_open.fallback
    try:
        return backend.incr(key)
    except ValueError:  # the window's first request
        if backend.add(key, 1, timeout):
            return 1
        return backend.incr(key)
