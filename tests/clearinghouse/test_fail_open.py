"""With Redis unreachable the cache and rate limits fail open to this process's memory (with a
warning at most once a minute), and after one failed publish the next ones are skipped."""

import logging

import pytest
import time_machine
from django.core.cache import caches

from approval_codes import ratelimit
from clearinghouse import cache as fail_open
from clearinghouse import celery as clearinghouse_celery
from clearinghouse.tasks import email_deliver
from tests.clearinghouse.smtp_capture import CaptureSMTP


@pytest.fixture
def dead_redis(settings):
    """Redis as the cache, on a port where nothing listens."""
    with CaptureSMTP() as placeholder:  # take a free port, then let it go
        port = placeholder.port
    settings.CACHES = {
        "default": {
            "BACKEND": "clearinghouse.cache.FailOpenRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    ratelimit._redis_count_script.cache_clear()
    fail_open.fallback.clear()
    fail_open._last_warning[0] = float("-inf")
    yield
    ratelimit._redis_count_script.cache_clear()
    fail_open.fallback.clear()


def test_the_cache_answers_from_memory_while_redis_is_down(dead_redis):
    cache = caches["default"]
    cache.set("k", "v", 30)
    assert cache.get("k") == "v"
    assert cache.add("n", 1) and cache.incr("n") == 2


def test_the_rate_limit_keeps_counting_in_the_process_while_redis_is_down(dead_redis):
    assert all(ratelimit.hit(scope="t", ident="ip", rate="3/minute") is None for _ in range(3))
    assert ratelimit.hit(scope="t", ident="ip", rate="3/minute") is not None


def test_the_outage_is_logged_at_most_once_a_minute(dead_redis, caplog):
    caplog.set_level(logging.WARNING, logger="clearinghouse.cache")
    with time_machine.travel("2026-03-02 10:00:00", tick=False):
        for _ in range(5):
            ratelimit.hit(scope="t", ident="ip", rate="30/minute")
            caches["default"].get("x")
    assert len([r for r in caplog.records if "unreachable" in r.getMessage()]) == 1


def test_after_one_failed_publish_the_next_ones_are_skipped(monkeypatch):
    clearinghouse_celery.app.conf.task_always_eager = False
    tried = []

    def broker_down(*args, **kwargs):
        tried.append(args)
        raise ConnectionError("broker down")

    monkeypatch.setattr(email_deliver, "apply_async", broker_down)
    results = [clearinghouse_celery.enqueue(email_deliver, n) for n in range(6)]
    assert results == [False] * 6
    assert len(tried) == 1
