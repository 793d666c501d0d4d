"""Bad input, bad keys and too many requests: a JSON error with a stable type, and nothing
changed (DESIGN.md §6, issue 5 "Bad input")."""

import pytest
from django.core.cache import caches
from django.db import OperationalError, connection

from approval_codes import ratelimit
from approval_codes.models import ApprovalCode, Donor, Redemption
from approval_codes.services import api_key_revoke
from tests.approval_codes.api_support import donor_with_key, issue, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def key(db):
    return donor_with_key()[2]


def error_of(response, status, type):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert error["type"] == type
    assert error["message"]
    return error


@pytest.mark.parametrize("path", ["codes/verify", "codes/redeem"])
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "code"),
        ({"code": 12345678}, "code"),
        ({"code": None}, "code"),
        ({"code": ["a@b"]}, "code"),
        ({"code": "not a code"}, "code"),
        ({"code": ""}, "code"),
        ({"code": "abc@"}, "code"),
        ({"code": "x" * 1000}, "code"),
        ([], "body"),
        ("null", "body"),
        ('"abcdefgh23@Org"', "body"),
    ],
)
def test_a_body_that_is_not_a_request_is_invalid_and_names_the_field(
    client, key, path, body, field
):
    error = error_of(post(client, path, body, key), 400, "invalid_request")
    assert field in error["fields"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "empty"),
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe", "not valid JSON"),
        (b'{"code": "' + b"a" * 5000 + b'@Org"}', "too large"),
    ],
)
def test_a_body_that_is_not_json_is_invalid(client, key, body, message):
    error = error_of(post(client, "codes/verify", body, key), 400, "invalid_request")
    assert message in error["message"]


def test_wrong_types_for_the_optional_fields_are_invalid(client, key, organisation):
    code = issue(organisation)
    response = post(client, "codes/redeem", {"code": code.code, "reference": {"a": 1}}, key)
    assert "reference" in error_of(response, 400, "invalid_request")["fields"]
    response = post(client, "codes/verify", {"code": code.code, "email": 5}, key)
    assert "email" in error_of(response, 400, "invalid_request")["fields"]
    assert not Redemption.objects.exists()


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer chk_000000000000.nope"],
)
def test_a_missing_or_unknown_key_is_unauthorized(client, organisation, authorization):
    code = issue(organisation)
    headers = {} if authorization is None else {"Authorization": authorization}
    response = post(client, "codes/redeem", {"code": code.code}, **headers)
    error_of(response, 401, "unauthorized")
    assert response["WWW-Authenticate"] == "Bearer"
    assert not Redemption.objects.exists()


def test_a_revoked_key_is_unauthorized(client, organisation):
    _donor, api_key, key = donor_with_key()
    api_key_revoke(api_key=api_key)
    error_of(
        post(client, "codes/verify", {"code": issue(organisation).code}, key), 401, "unauthorized"
    )


def test_the_key_of_an_inactive_donor_is_unauthorized(client, organisation):
    donor, _api_key, key = donor_with_key()
    Donor.objects.filter(pk=donor.pk).update(is_active=False)
    error_of(
        post(client, "codes/verify", {"code": issue(organisation).code}, key), 401, "unauthorized"
    )


def test_a_bad_key_is_refused_before_the_body_is_read(client):
    error_of(post(client, "codes/verify", b"{not json"), 401, "unauthorized")


def test_too_many_requests_with_one_key_are_refused_with_retry_after(
    client, organisation, settings
):
    settings.APPROVAL_CODES_API_RATE = "3/minute"
    code = issue(organisation)
    _donor, _row, key = donor_with_key()
    _donor, _row, other_key = donor_with_key("Adobe")
    for _ in range(3):
        assert post(client, "codes/verify", {"code": code.code}, key).status_code == 200
    response = post(client, "codes/verify", {"code": code.code}, key)
    error_of(response, 429, "rate_limited")
    assert 1 <= int(response["Retry-After"]) <= 60
    assert post(client, "codes/redeem", {"code": code.code}, key).status_code == 429
    assert post(client, "codes/verify", {"code": code.code}, other_key).status_code == 200
    assert not Redemption.objects.exists()


def test_the_next_window_allows_requests_again(client, organisation, monkeypatch, settings):
    settings.APPROVAL_CODES_API_RATE = "1/minute"
    code = issue(organisation)
    key = donor_with_key()[2]
    clock = iter([1000.0, 1001.0, 1060.5])
    monkeypatch.setattr(ratelimit, "clock", lambda: next(clock))
    assert post(client, "codes/verify", {"code": code.code}, key).status_code == 200
    response = post(client, "codes/verify", {"code": code.code}, key)
    assert response.status_code == 429
    assert response["Retry-After"] == "19"  # the window 960–1020 ends in 19 seconds
    assert post(client, "codes/verify", {"code": code.code}, key).status_code == 200


def test_the_rate_is_read_from_settings():
    assert ratelimit.parse_rate("10/seconds") == (10, 1)


def test_a_get_is_not_allowed(client, key):
    response = client.get("/api/v1/codes/verify", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 405


def test_an_unexpected_failure_is_a_json_503_never_a_500(client, key):
    codes_table = ApprovalCode._meta.db_table

    def database_gone_for_codes(execute, sql, params, many, context):
        if codes_table in sql:  # the key still authenticates; the code lookup fails
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(database_gone_for_codes):
        response = post(client, "codes/verify", {"code": "abcdefgh23@Nobody"}, key)
    error_of(response, 503, "service_unavailable")
    assert response["Retry-After"] == "30"


@pytest.mark.redis_cache
def test_a_window_counter_expires_with_its_window():
    backend = caches["default"]
    assert ratelimit.hit(scope="ttl-test", ident="1", rate="5/minute") is None
    assert ratelimit.hit(scope="ttl-test", ident="1", rate="5/minute") is None
    window = int(ratelimit.clock() // 60)
    key = backend.make_and_validate_key(f"ratelimit:ttl-test:1:{window}")
    client = backend._cache.get_client(key)
    assert int(client.get(key)) == 2
    assert 0 < client.ttl(key) <= 61


def test_a_body_declared_too_large_is_refused_before_the_key_is_looked_up(
    client, key, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.post(
            "/api/v1/codes/verify",
            data=b"{}",
            content_type="application/json",
            headers={"Authorization": f"Bearer {key}"},
            CONTENT_LENGTH="5000000",
        )
    assert "too large" in error_of(response, 400, "invalid_request")["message"]


@pytest.mark.redis_cache  # the cached fast path runs only with Redis as the cache
def test_a_nul_in_the_email_is_refused_even_once_the_code_is_cached(client, key, organisation):
    code = issue(organisation)
    assert post(client, "codes/verify", {"code": code.code}, key).status_code == 200  # warm

    response = post(client, "codes/verify", {"code": code.code, "email": "a\x00@example.org"}, key)

    error = error_of(response, 400, "invalid_request")
    assert "email" in error["fields"]
