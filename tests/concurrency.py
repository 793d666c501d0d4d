"""Doing the same thing in several threads at once, each with its own database connection and
transaction, as several web or worker processes would (for tests marked `postgres`)."""

import threading


def run_in_parallel(target, count: int, *, expected=()):
    """Call `target(n)` for n in range(count), in `count` threads released together.

    Returns (results, errors): the values returned, and the exceptions of the `expected`
    types raised. Any other exception fails the calling test.
    """
    from django.db import connection

    barrier = threading.Barrier(count)
    results, errors, unexpected = [], [], []

    def worker(n):
        try:
            barrier.wait(timeout=30)
            results.append(target(n))
        except expected as error:
            errors.append(error)
        except Exception as error:  # shown by the assertion below
            unexpected.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert unexpected == []
    return results, errors


def wait_for(condition, seconds: float = 20) -> bool:
    """Poll `condition()` until it is true (True) or `seconds` pass (False)."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False
