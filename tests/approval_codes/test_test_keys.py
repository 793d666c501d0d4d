"""Test keys and test organisations (issue 14, item 3): a test key sees only the codes of test
organisations, answered exactly as unknown codes otherwise, and a live key never sees a test
organisation's codes; on verify (both paths and the cache), redeem, the checker, webhooks and
the donor area's lists."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Organisation
from approval_codes import api_log, donor_services, services
from approval_codes.models import ApiKey, CodeSighting, Redemption, WebhookDelivery
from tests.approval_codes.api_support import donor_with_key, issue, post
from tests.approval_codes.jobs_helpers import make_endpoint
from tests.approval_codes.test_checker import SHOP, check
from tests.approval_codes.test_donor_area import person_of
from validation.services import organisation_revoke

pytestmark = pytest.mark.django_db


def unknown(client, key, text):
    """What verify answers `key` for a code that does not exist, pasted as `text`."""
    return {**verify(client, key, "zzzzzzzz99@Nobody"), "code": text}


@pytest.fixture
def test_organisation(make_organisation):
    return make_organisation(status=Organisation.Status.APPROVED, handle="Testorg", is_test=True)


@pytest.fixture
def keys(db):
    """(donor, live key, test key)."""
    donor, _row, live = donor_with_key("Microsoft")
    _row, test = services.api_key_issue(donor=donor, name="test", is_test=True)
    return donor, live, test


def verify(client, key, text):
    response = post(client, "codes/verify", {"code": text}, key)
    assert response.status_code == 200, response.content
    return response.json()


def test_a_test_key_verifies_only_test_codes_and_a_live_key_only_live_ones(
    client, organisation, test_organisation, keys
):
    _donor, live, test = keys
    live_code, test_code = issue(organisation), issue(test_organisation)

    assert verify(client, test, test_code.code)["valid"] is True
    assert verify(client, live, live_code.code)["valid"] is True
    assert verify(client, test, live_code.code) == unknown(client, test, live_code.code)
    assert verify(client, live, test_code.code) == unknown(client, live, test_code.code)


def test_a_code_of_the_other_mode_leaves_no_sighting(client, organisation, test_organisation, keys):
    _donor, live, test = keys
    verify(client, test, issue(organisation).code)
    verify(client, live, issue(test_organisation).code)
    api_log.api_requests_flush()
    assert not CodeSighting.objects.exists()


def test_redeem_refuses_the_other_modes_codes_as_unknown_and_changes_nothing(
    client, organisation, test_organisation, keys
):
    _donor, live, test = keys
    live_code, test_code = issue(organisation), issue(test_organisation)
    no_such = post(client, "codes/redeem", {"code": "abcdefgh23@Nobody"}, live).json()

    for key, code in ((test, live_code), (live, test_code)):
        response = post(client, "codes/redeem", {"code": code.code, "reference": "R1"}, key)
        assert response.status_code == 409
        assert response.json() == no_such
    assert not Redemption.objects.exists()
    assert post(client, "codes/redeem", {"code": test_code.code}, test).status_code == 201


def test_a_test_publishable_key_checks_only_test_codes(client, organisation, test_organisation):
    donor = donor_with_key("Microsoft")[0]
    live = donor_services.publishable_key_issue(donor=donor, name="shop", origins=[SHOP])
    test = donor_services.publishable_key_issue(
        donor=donor, name="shop test", origins=[SHOP], is_test=True
    )
    live_code, test_code = issue(organisation), issue(test_organisation)
    nobody = check(client, {"key": live.prefix, "code": "abcdefgh23@Nobody"}).json()

    assert check(client, {"key": test.prefix, "code": test_code.code}).json()["valid"] is True
    assert check(client, {"key": live.prefix, "code": live_code.code}).json()["valid"] is True
    assert check(client, {"key": test.prefix, "code": live_code.code}).json() == nobody
    assert check(client, {"key": live.prefix, "code": test_code.code}).json() == nobody


def test_events_about_a_test_organisation_go_to_test_endpoints_only(
    client, organisation, test_organisation, keys, staff_user
):
    donor, live, test = keys
    live_endpoint = make_endpoint(url="https://donor.example/live", donor=donor)
    test_endpoint = make_endpoint(url="https://donor.example/test", donor=donor, is_test=True)
    live_code, test_code = issue(organisation), issue(test_organisation)
    verify(client, live, live_code.code)
    verify(client, test, test_code.code)
    api_log.api_requests_flush()

    services.approval_code_revoke(code=test_code, actor=None)
    organisation_revoke(organisation=test_organisation, actor=staff_user, reason="Test.")
    services.approval_code_revoke(code=live_code, actor=None)

    def heard(endpoint):
        return {d.event_type for d in WebhookDelivery.objects.filter(endpoint=endpoint)}

    assert heard(test_endpoint) == {"code.revoked", "organisation.eligibility_changed"}
    assert heard(live_endpoint) == {"code.revoked"}
    assert WebhookDelivery.objects.get(endpoint=live_endpoint).payload["data"]["code"] == (
        live_code.code
    )


@pytest.fixture
def person_client(client, keys):
    client.force_login(person_of(keys[0], "dev@microsoft.example"))
    return client


def test_a_donor_person_creates_a_test_key_with_the_checkbox(person_client, keys):
    person_client.post(reverse("donor:key-create"), {"name": "staging", "is_test": "1"})
    person_client.post(reverse("donor:key-create"), {"name": "production"})
    person_client.post(
        reverse("donor:endpoint-create"),
        {"url": "https://donor.example/test-hooks", "is_test": "1"},
    )

    assert ApiKey.objects.get(name="staging").is_test is True
    assert ApiKey.objects.get(name="production").is_test is False
    assert keys[0].webhook_endpoints.get().is_test is True
    assert "Test" in person_client.get(reverse("donor:home")).content.decode()


def test_the_donor_areas_lists_show_live_and_test_data_apart(
    person_client, client, organisation, test_organisation, keys
):
    donor, live, test = keys
    live_code, test_code = issue(organisation, first_name="Livia"), issue(test_organisation)
    services.approval_code_redeem(
        code=live_code, donor=donor, reference="LIVE-1", offer="", api_key=None
    )
    services.approval_code_redeem(
        code=test_code, donor=donor, reference="TEST-1", offer="", api_key=None
    )
    verify(client, live, live_code.code)
    verify(client, test, test_code.code)
    live_prefix, test_prefix = (ApiKey.objects.get(name=n).prefix for n in ("tests", "test"))

    redemptions = reverse("donor:redemption-list")
    requests = reverse("donor:request-list")
    live_page = person_client.get(redemptions).content.decode()
    test_page = person_client.get(redemptions, {"mode": "test"}).content.decode()
    assert "LIVE-1" in live_page and "TEST-1" not in live_page
    assert "TEST-1" in test_page and "LIVE-1" not in test_page
    live_csv = person_client.get(redemptions, {"format": "csv"}).content.decode()
    assert "LIVE-1" in live_csv and "TEST-1" not in live_csv
    live_requests = person_client.get(requests).content.decode()
    test_requests = person_client.get(requests, {"mode": "test"}).content.decode()
    assert live_prefix in live_requests and test_prefix not in live_requests
    assert test_prefix in test_requests and live_prefix not in test_requests


def test_staff_issue_a_test_key_and_mark_a_test_organisation_in_admin(staff_client, organisation):
    donor = donor_with_key("Microsoft")[0]
    staff_client.post(
        "/admin/approval_codes/apikey/add/",
        {"donor": donor.pk, "name": "sandbox", "is_test": "on"},
    )
    assert ApiKey.objects.get(name="sandbox").is_test is True
    page = staff_client.get(f"/admin/accounts/organisation/{organisation.pk}/change/")
    assert 'name="is_test"' in page.content.decode()
    listing = staff_client.get("/admin/accounts/organisation/", {"is_test__exact": "1"})
    assert listing.status_code == 200


# --- The fast path and its cache ----------------------------------------------------------


@pytest.mark.redis_cache
def test_a_cached_code_is_never_served_to_a_key_of_the_other_mode(
    client, organisation, test_organisation, keys
):
    _donor, live, test = keys
    live_code, test_code = issue(organisation), issue(test_organisation)
    for key, code in ((test, test_code), (live, live_code)):
        assert verify(client, key, code.code)["valid"] is True  # fills the cache
    as_unknown = (unknown(client, live, test_code.code), unknown(client, test, live_code.code))

    with CaptureQueriesContext(connection) as queries:
        assert verify(client, live, test_code.code) == as_unknown[0]
        assert verify(client, test, live_code.code) == as_unknown[1]
        assert verify(client, test, test_code.code)["valid"] is True
        assert verify(client, live, live_code.code)["valid"] is True
    assert len(queries) == 0  # all four from the cache


@pytest.mark.redis_cache
def test_a_cold_cache_filled_by_one_mode_answers_the_other_as_unknown(
    client, organisation, test_organisation, keys
):
    _donor, live, test = keys
    test_code = issue(test_organisation)
    as_unknown = unknown(client, live, test_code.code)
    assert verify(client, live, test_code.code) == as_unknown  # cold: fills the cache
    assert verify(client, test, test_code.code)["valid"] is True
    assert verify(client, live, test_code.code) == as_unknown


@pytest.mark.redis_cache
def test_marking_an_organisation_as_a_test_one_is_seen_by_the_next_verify(
    client, organisation, keys, django_capture_on_commit_callbacks
):
    _donor, live, test = keys
    code = issue(organisation)
    assert verify(client, live, code.code)["valid"] is True
    with django_capture_on_commit_callbacks(execute=True):
        organisation.is_test = True
        organisation.save(update_fields=["is_test"])

    assert verify(client, live, code.code) == unknown(client, live, code.code)
    assert verify(client, test, code.code)["valid"] is True


def test_the_cached_key_and_organisation_carry_their_mode(organisation, test_organisation, keys):
    from approval_codes import verify_cache

    live_row, test_row = ApiKey.objects.get(name="tests"), ApiKey.objects.get(name="test")
    assert json.loads(verify_cache.key_state(live_row))["test"] is False
    assert json.loads(verify_cache.key_state(test_row))["test"] is True
    assert json.loads(verify_cache.organisation_state(test_organisation))["test"] is True
    assert json.loads(verify_cache.organisation_state(organisation))["test"] is False
