"""Which changes record webhook events: one delivery per active endpoint, in the change's own
transaction (nothing when it rolls back), posted once it commits."""

from datetime import timedelta

import pytest
from django.db import transaction

from accounts.models import Organisation
from approval_codes import webhooks
from approval_codes.models import Donor, WebhookDelivery
from approval_codes.services import approval_code_renew, approval_code_revoke
from tests.approval_codes.jobs_helpers import make_code, make_endpoint
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
