"""Verify on the fast path (one Redis round trip, no SQL) and what its cache promises: a change
is seen by the very next verify, a failed write-through leaves at most the TTL of staleness,
and a cache that cannot be read is bypassed (issue 14, item 6)."""

import socket
import time
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Organisation
from approval_codes import cache_client, fast_verify, verify_cache
from approval_codes.services import api_key_revoke, approval_code_renew, approval_code_revoke
from tests.approval_codes.api_support import donor_with_key, issue, post
from tests.approval_codes.jobs_helpers import make_code
from validation.services import organisation_revoke

pytestmark = [pytest.mark.redis_cache, pytest.mark.django_db]


@pytest.fixture
def key(db):
    return donor_with_key()[2]


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a change as if its transaction committed (its after-commit write-through too)."""

    def run(change):
        with django_capture_on_commit_callbacks(execute=True):
            return change()

    return run


def _verify(client, key, code_text, **extra):
    response = post(client, "codes/verify", {"code": code_text, **extra}, key)
    assert response.status_code == 200, response.content
    return response.json()


def test_a_warm_verify_makes_one_redis_round_trip_and_no_sql(
    client, organisation, key, monkeypatch
):
    code = issue(organisation)
    _verify(client, key, code.code)  # fills the cache
    redis = cache_client.redis_client()
    calls = []
    original = redis.execute_command
    monkeypatch.setattr(
        redis, "execute_command", lambda *a, **kw: calls.append(a[0]) or original(*a, **kw)
    )

    with CaptureQueriesContext(connection) as queries:
        answer = _verify(client, key, code.code)

    assert answer["valid"] is True
    assert len(queries) == 0
    assert calls == ["EVALSHA"]


def test_the_fast_path_answers_exactly_as_the_database_path(
    client, organisation, make_organisation, key, monkeypatch, commit
):
    suspended = make_organisation(status=Organisation.Status.APPROVED, handle="Later")
    valid = issue(organisation)
    expired = make_code(organisation, expires_in=-timedelta(minutes=1))
    revoked = commit(lambda: approval_code_revoke(code=issue(organisation), actor=None))
    old = make_code(organisation, expires_in=-timedelta(days=2))
    commit(lambda: approval_code_renew(code=old, actor=None))
    of_suspended = issue(suspended)
    Organisation.objects.filter(pk=suspended.pk).update(status=Organisation.Status.SUSPENDED)
    requests = [
        {"code": valid.code},
        {"code": f"  {valid.code.upper()} ", "email": "ASTRID@example.org"},
        {"code": valid.code, "email": "someone@else.org"},
        {"code": expired.code},
        {"code": revoked.code},
        {"code": old.code},
        {"code": of_suspended.code},
        {"code": "abcdefgh23@Nobody", "email": "a@b.se"},
    ]
    database = []
    with monkeypatch.context() as patched:
        patched.setattr(verify_cache, "enabled", lambda: False)
        for body in requests:
            database.append(post(client, "codes/verify", body, key).json())
    fast = [post(client, "codes/verify", body, key).json() for body in requests]  # fills
    cached = [post(client, "codes/verify", body, key).json() for body in requests]

    assert fast == database
    assert cached == database
    assert [a["reason"] for a in cached] == [
        None,
        None,
        None,
        "expired",
        "revoked",
        "replaced",
        "organisation_not_eligible",
        "unknown",
    ]


def test_revocation_renewal_eligibility_and_key_revocation_are_seen_by_the_next_verify(
    client, organisation, staff_user, commit
):
    _donor, api_key, key = donor_with_key()
    revoked, expired = issue(organisation), make_code(organisation, expires_in=timedelta(hours=1))
    assert _verify(client, key, revoked.code)["valid"] is True
    assert _verify(client, key, expired.code)["valid"] is True

    commit(lambda: approval_code_revoke(code=revoked, actor=None))
    assert _verify(client, key, revoked.code)["reason"] == "revoked"

    with time_machine.travel(expired.expires_at + timedelta(seconds=1)):  # no write at all
        assert _verify(client, key, expired.code)["reason"] == "expired"
        new = commit(lambda: approval_code_renew(code=expired, actor=None))
        assert _verify(client, key, expired.code)["reason"] == "replaced"
        assert _verify(client, key, new.code)["valid"] is True

        commit(lambda: organisation_revoke(organisation=organisation, actor=staff_user, reason="x"))
        answer = _verify(client, key, new.code)
        assert answer["reason"] == "organisation_not_eligible"
        assert answer["organisation"]["validation_status"] == Organisation.Status.REVOKED

        commit(lambda: api_key_revoke(api_key=api_key))
        response = post(client, "codes/verify", {"code": new.code}, key)
        assert response.status_code == 401


def test_a_failed_write_through_leaves_at_most_the_ttl_of_staleness(
    client, organisation, key, commit, monkeypatch, settings
):
    settings.APPROVAL_CODES_API_CACHE_SECONDS = 1
    code = issue(organisation)
    assert _verify(client, key, code.code)["valid"] is True

    def fail(entries):
        raise ConnectionError("Redis went away for a moment")

    with monkeypatch.context() as patched:
        patched.setattr(verify_cache, "write_entries", fail)
        commit(lambda: approval_code_revoke(code=code, actor=None))

    assert _verify(client, key, code.code)["valid"] is True  # stale, within the TTL
    time.sleep(1.2)
    assert _verify(client, key, code.code)["reason"] == "revoked"


def test_the_cache_ttl_is_at_most_30_seconds(settings):
    settings.APPROVAL_CODES_API_CACHE_SECONDS = 31
    with pytest.raises(Exception, match="between 1 and 30"):
        verify_cache.ttl()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_cache_that_cannot_be_read_is_bypassed(client, organisation, key, settings, commit):
    code = issue(organisation)
    assert _verify(client, key, code.code)["valid"] is True
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{_free_port()}/0",  # nothing listens there
        }
    }
    commit(lambda: approval_code_revoke(code=code, actor=None))  # its write-through fails too

    answer = _verify(client, key, code.code)

    assert answer["reason"] == "revoked"  # from the database
    assert fast_verify.answer(_request_like(key, code.code)) is None  # bypassed


def _request_like(key, code_text):
    from django.test import RequestFactory

    return RequestFactory().post(
        "/api/v1/codes/verify",
        data=f'{{"code": "{code_text}"}}',
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
