"""Which changes record webhook events, and for whom: one delivery per active endpoint of each
donor that used a code of the organisation (and, for code events, that code) with a secret key;
in the change's own transaction (nothing when it rolls back), posted once it commits."""

from datetime import timedelta

import pytest
from django.db import transaction

from accounts.models import Organisation
from approval_codes import api_log, webhooks
from approval_codes.models import CodeSighting, Donor, WebhookDelivery
from approval_codes.services import approval_code_renew, approval_code_revoke
from tests.approval_codes.api_support import donor_with_key, post
from tests.approval_codes.jobs_helpers import make_code as make_code_unseen
from tests.approval_codes.jobs_helpers import make_endpoint
from tests.approval_codes.webhook_receiver import WebhookReceiver
from validation.services import organisation_revoke

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


@pytest.fixture
def endpoints(db):
    """Two active endpoints and two that must get nothing (inactive, or of an inactive donor)."""
    active = [make_endpoint(url="https://a.example.org/"), make_endpoint(url="https://b.example/")]
    make_endpoint(url="https://off.example.org/", is_active=False)
    retired = Donor.objects.create(name="Retired donor", slug="retired", is_active=False)
    make_endpoint(url="https://retired.example.org/", donor=retired)
    return active


def make_code(organisation, **fields):
    """A code that every donor of the tests has seen (as if it had verified it)."""
    code = make_code_unseen(organisation, **fields)
    for donor in Donor.objects.all():
        CodeSighting.objects.create(donor=donor, code=code, organisation=organisation)
    return code


def _recorded(event_type):
    return WebhookDelivery.objects.filter(event_type=event_type)


def test_revoking_a_code_records_one_delivery_per_active_endpoint(organisation, holder, endpoints):
    code = make_code(organisation)

    approval_code_revoke(code=code, actor=holder)

    deliveries = _recorded(webhooks.CODE_REVOKED)
    assert {d.endpoint_id for d in deliveries} == {e.pk for e in endpoints}
    assert {d.payload["data"]["code"] for d in deliveries} == {code.code}
    assert len({d.event_id for d in deliveries}) == 2  # an event id per delivery
    assert WebhookDelivery.objects.count() == 2


def test_renewing_a_code_records_code_replaced(organisation, holder, endpoints):
    code = make_code(organisation, expires_in=-timedelta(days=1))

    new = approval_code_renew(code=code, actor=holder)

    deliveries = _recorded(webhooks.CODE_REPLACED)
    assert deliveries.count() == 2
    assert deliveries[0].payload["data"] == {"code": code.code, "replaced_by": new.code}


def test_an_organisation_losing_eligibility_records_eligibility_changed(
    organisation, staff_user, endpoints
):
    make_code(organisation)
    organisation_revoke(organisation=organisation, actor=staff_user, reason="Fraud.")

    deliveries = _recorded(webhooks.ELIGIBILITY_CHANGED)
    assert deliveries.count() == 2
    data = deliveries[0].payload["data"]["organisation"]
    assert data["handle"] == organisation.handle
    assert data["validation_status"] == Organisation.Status.REVOKED
    assert data["eligible"] is False


def test_nothing_is_recorded_when_the_change_rolls_back(
    organisation, holder, staff_user, endpoints
):
    active = make_code(organisation)
    expired = make_code(organisation, expires_in=-timedelta(days=1))

    for change in (
        lambda: approval_code_revoke(code=active, actor=holder),
        lambda: approval_code_renew(code=expired, actor=holder),
        lambda: organisation_revoke(organisation=organisation, actor=staff_user, reason="x"),
    ):
        with pytest.raises(Rollback), transaction.atomic():
            change()
            assert WebhookDelivery.objects.exists()
            raise Rollback

    assert not WebhookDelivery.objects.exists()


def test_no_endpoints_no_deliveries(organisation, holder):
    approval_code_revoke(code=make_code(organisation), actor=holder)
    assert not WebhookDelivery.objects.exists()


def test_a_committed_change_is_posted_to_the_donor(
    organisation, holder, django_capture_on_commit_callbacks
):
    with WebhookReceiver("whsec_live") as receiver:
        make_endpoint(url=receiver.url, secret="whsec_live")
        code = make_code(organisation)

        with django_capture_on_commit_callbacks(execute=True):
            approval_code_revoke(code=code, actor=holder)

        (event,) = receiver.events.values()
    assert event["type"] == webhooks.CODE_REVOKED
    assert event["data"]["code"] == code.code
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.DELIVERED


def test_two_donors_that_used_codes_of_different_organisations_hear_disjoint_events(
    client, make_organisation, holder, staff_user
):
    """Through the API: each donor's key verifies or redeems a code of its own organisation;
    each hears only about that organisation and that code (the request log flushed or not)."""
    sweden = make_organisation(status=Organisation.Status.APPROVED, handle="Sweden")
    norway = make_organisation(status=Organisation.Status.APPROVED, handle="Norway")
    swedish, norwegian = make_code_unseen(sweden), make_code_unseen(norway)
    other_swedish = make_code_unseen(sweden)
    microsoft, _row, microsoft_key = donor_with_key("Microsoft")
    adobe, _row, adobe_key = donor_with_key("Adobe")
    make_endpoint(url="https://microsoft.example/hooks", donor=microsoft)
    make_endpoint(url="https://adobe.example/hooks", donor=adobe)
    assert post(client, "codes/verify", {"code": swedish.code}, microsoft_key).status_code == 200
    assert post(client, "codes/redeem", {"code": norwegian.code}, adobe_key).status_code == 201
    assert not CodeSighting.objects.exists()  # nothing written on the hot path
    api_log.api_requests_flush()
    assert CodeSighting.objects.count() == 2

    approval_code_revoke(code=swedish, actor=None)
    approval_code_revoke(code=other_swedish, actor=None)  # seen by nobody
    approval_code_revoke(code=norwegian, actor=None)
    organisation_revoke(organisation=sweden, actor=staff_user, reason="Fraud.")
    organisation_revoke(organisation=norway, actor=staff_user, reason="Fraud.")

    def heard(donor):
        return {
            (
                d.event_type,
                d.payload["data"].get("code") or d.payload["data"]["organisation"]["handle"],
            )
            for d in WebhookDelivery.objects.filter(endpoint__donor=donor)
        }

    assert heard(microsoft) == {
        (webhooks.CODE_REVOKED, swedish.code),
        (webhooks.ELIGIBILITY_CHANGED, "Sweden"),
    }
    assert heard(adobe) == {
        (webhooks.CODE_REVOKED, norwegian.code),
        (webhooks.ELIGIBILITY_CHANGED, "Norway"),
    }


def test_a_sighting_still_waiting_in_the_request_log_counts(client, organisation):
    code = make_code_unseen(organisation)
    donor, _row, key = donor_with_key("Microsoft")
    make_endpoint(url="https://microsoft.example/hooks", donor=donor)
    post(client, "codes/verify", {"code": code.code}, key)

    approval_code_revoke(code=code, actor=None)  # before any flush

    assert WebhookDelivery.objects.filter(endpoint__donor=donor).count() == 1


def test_a_donor_that_only_tried_an_unknown_code_or_was_refused_hears_nothing(
    client, organisation, settings
):
    code = make_code_unseen(organisation)
    donor, _row, key = donor_with_key("Microsoft")
    make_endpoint(url="https://microsoft.example/hooks", donor=donor)
    post(client, "codes/verify", {"code": "abcdefgh23@Nobody"}, key)
    post(client, "codes/verify", {"code": "nope"}, key)
    api_log.api_requests_flush()

    approval_code_revoke(code=code, actor=None)

    assert not WebhookDelivery.objects.exists()
