"""The checker for donors' forms: publishable keys check codes from their listed origins only,
answer what /verify/ shows and no more, are limited per origin and client address, never
redeem and never count as using a code (issue 14, item 4)."""

import json
from datetime import timedelta

import pytest

from approval_codes import api_log, checker, donor_services
from approval_codes.errors import ApprovalCodeError
from approval_codes.models import CodeSighting, Redemption
from tests.approval_codes.api_support import donor_with_key, issue, post
from tests.approval_codes.jobs_helpers import make_code

pytestmark = pytest.mark.django_db

SHOP = "https://shop.example"


@pytest.fixture
def publishable(db):
    donor = donor_with_key("Microsoft")[0]
    return donor_services.publishable_key_issue(donor=donor, name="shop", origins=[SHOP + "/cart"])


def check(client, body, origin=SHOP, **extra):
    return client.post(
        "/api/v1/codes/check",
        data=body if isinstance(body, str) else json.dumps(body),
        content_type="text/plain",
        headers={"Origin": origin} if origin else {},
        **extra,
    )


def test_a_check_answers_what_the_verify_page_shows_with_cors_for_the_listed_origin(
    client, publishable, organisation
):
    code = issue(organisation)

    response = check(client, {"key": publishable.prefix, "code": f" {code.code.upper()} "})

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == SHOP
    answer = response.json()
    assert answer["valid"] is True and answer["reason"] is None
    assert set(answer) == {"valid", "reason", "status", "expires_at", "organisation"}
    assert set(answer["organisation"]) == {"name", "country", "type", "validation_status"}
    assert code.email.lower() not in response.content.decode().lower()
    assert code.first_name not in response.content.decode()


def test_expired_unknown_and_garbage_codes(client, publishable, organisation):
    expired = make_code(organisation, expires_in=-timedelta(days=1))
    key = publishable.prefix
    assert check(client, {"key": key, "code": expired.code}).json()["reason"] == "expired"
    unknown = check(client, {"key": key, "code": "abcdefgh23@Nobody"}).json()
    assert unknown == {
        "valid": False,
        "reason": "unknown",
        "status": None,
        "expires_at": None,
        "organisation": None,
    }
    garbage = check(client, {"key": key, "code": "not a code!"})
    assert garbage.status_code == 400
    assert garbage.json()["error"]["type"] == "invalid_request"


def test_another_origin_is_refused_without_cors_and_a_preflight_is_answered_exactly(
    client, publishable, organisation
):
    code = issue(organisation)
    refused = check(
        client, {"key": publishable.prefix, "code": code.code}, origin="https://evil.example"
    )
    assert refused.status_code == 403
    assert "Access-Control-Allow-Origin" not in refused
    assert (
        check(client, {"key": publishable.prefix, "code": code.code}, origin=None).status_code
        == 403
    )

    listed = client.options("/api/v1/codes/check", headers={"Origin": SHOP})
    other = client.options("/api/v1/codes/check", headers={"Origin": "https://evil.example"})
    assert listed["Access-Control-Allow-Origin"] == SHOP
    assert "Access-Control-Allow-Origin" not in other


def test_a_publishable_key_can_never_verify_in_full_or_redeem(client, publishable, organisation):
    code = issue(organisation)
    for operation in ("codes/verify", "codes/redeem"):
        response = post(client, operation, {"code": code.code}, publishable.prefix)
        assert response.status_code == 403
        assert response.json()["error"]["type"] == "forbidden"
    assert not Redemption.objects.exists()


def test_a_secret_key_or_no_key_cannot_check(client, organisation, publishable):
    code = issue(organisation)
    _donor, _row, secret = donor_with_key("Adobe")
    assert check(client, {"key": secret, "code": code.code}).status_code == 401
    assert check(client, {"code": code.code}).status_code == 401
    assert check(client, "not json").status_code == 401


def test_checks_are_limited_per_origin_and_client_address(
    client, publishable, organisation, settings
):
    settings.APPROVAL_CODES_CHECKER_RATE = "2/minute"
    code = issue(organisation)
    body = {"key": publishable.prefix, "code": code.code}
    assert [check(client, body).status_code for _ in range(3)] == [200, 200, 429]
    limited = check(client, body)
    assert limited["Retry-After"] and limited["Access-Control-Allow-Origin"] == SHOP
    assert check(client, body, REMOTE_ADDR="10.0.0.9").status_code == 200  # another visitor


def test_checks_never_count_as_using_the_code(client, publishable, organisation):
    code = issue(organisation)
    check(client, {"key": publishable.prefix, "code": code.code})
    api_log.api_requests_flush()
    assert not CodeSighting.objects.exists()


def test_an_origin_must_be_a_web_origin(db):
    donor = donor_with_key("Microsoft")[0]
    with pytest.raises(ApprovalCodeError):
        donor_services.publishable_key_issue(donor=donor, name="x", origins=["javascript:1"])
    with pytest.raises(ApprovalCodeError):
        donor_services.publishable_key_issue(donor=donor, name="x", origins=[])


def test_the_script_is_served_with_a_year_of_caching_and_its_integrity_hash(client, db):
    content, integrity, version = checker.script()
    response = client.get(f"/checker/{version}/checker.js")
    assert response.status_code == 200
    assert response.content == content
    assert "max-age=31536000" in response["Cache-Control"]
    assert integrity.startswith("sha384-")
    assert len(content) < 8000  # a few KB
    assert client.get("/checker/000000000000/checker.js").status_code == 404
    demo = client.get("/checker/demo/").content.decode()
    assert integrity in demo and f"/checker/{version}/checker.js" in demo
