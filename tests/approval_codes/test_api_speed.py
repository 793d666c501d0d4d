"""The verify hot path: at most two queries (the key with its donor, the code with its
organisation), and no writes: the key's last use is noted by the request log's flush (issue 14)."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from approval_codes import api_log
from approval_codes.models import ApiKey
from tests.approval_codes.api_support import donor_with_key, issue, post

pytestmark = pytest.mark.django_db


def test_verify_takes_at_most_two_queries(client, organisation, django_assert_max_num_queries):
    code = issue(organisation)
    _donor, _row, key = donor_with_key()
    post(client, "codes/verify", {"code": code.code}, key)  # warms up: notes the key's use
    with django_assert_max_num_queries(2):
        response = post(client, "codes/verify", {"code": code.code, "email": "a@b.se"}, key)
    assert response.status_code == 200


def test_an_unknown_code_takes_at_most_two_queries(client, db, django_assert_max_num_queries):
    _donor, _row, key = donor_with_key()
    post(client, "codes/verify", {"code": "abcdefgh23@Nobody"}, key)
    with django_assert_max_num_queries(2):
        post(client, "codes/verify", {"code": "abcdefgh23@Nobody"}, key)


def test_a_code_that_cannot_be_one_is_refused_after_the_key_query(
    client, db, django_assert_max_num_queries
):
    _donor, _row, key = donor_with_key()
    post(client, "codes/verify", {"code": "nope"}, key)
    with django_assert_max_num_queries(1):
        post(client, "codes/verify", {"code": "nope"}, key)


def test_verify_writes_nothing_and_the_flush_notes_the_keys_last_use(
    client, organisation, django_assert_num_queries
):
    code = issue(organisation)
    _donor, api_key, key = donor_with_key()
    start = timezone.now()
    with CaptureQueriesContext(connection) as queries, time_machine.travel(start, tick=False):
        post(client, "codes/verify", {"code": code.code}, key)
    assert not [q for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert ApiKey.objects.get(pk=api_key.pk).last_used_at is None

    api_log.api_requests_flush()

    assert ApiKey.objects.get(pk=api_key.pk).last_used_at == start


def test_api_operations_skip_the_portals_middleware_but_keep_its_security_headers(
    client, organisation
):
    """No session, cookie, language or CSP work on the hot path; nosniff and Content-Length
    (for keep-alive) are still there."""
    code = issue(organisation)
    _donor, _row, key = donor_with_key()
    response = post(client, "codes/verify", {"code": code.code}, key)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Length"] == str(len(response.content))
    assert not response.cookies
    assert "Content-Language" not in response
    assert "Content-Security-Policy" not in response


def test_the_api_docs_still_go_through_the_whole_stack(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert "Content-Security-Policy" in response
