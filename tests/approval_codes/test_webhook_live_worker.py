"""A real Celery worker on the real Redis broker posts webhook events and runs the jobs."""

from datetime import timedelta

import pytest

from approval_codes.models import ApprovalCode, CodeSighting, WebhookDelivery
from approval_codes.services import approval_code_revoke
from clearinghouse.celery import app as celery_app
from tests.approval_codes.jobs_helpers import make_code, make_endpoint
from tests.approval_codes.webhook_receiver import WebhookReceiver
from tests.concurrency import wait_for

pytestmark = [pytest.mark.broker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_live_worker_posts_the_event_of_a_committed_revocation(organisation, live_worker):
    with WebhookReceiver("whsec_live") as receiver:
        endpoint = make_endpoint(url=receiver.url, secret="whsec_live")
        code = make_code(organisation)
        CodeSighting.objects.create(donor=endpoint.donor, code=code, organisation=organisation)

        approval_code_revoke(code=code, actor=organisation.account_holder)

        assert wait_for(lambda: receiver.events)
    (event,) = receiver.events.values()
    assert event["data"]["code"] == code.code
    assert wait_for(
        lambda: WebhookDelivery.objects.filter(status=WebhookDelivery.Status.DELIVERED).exists()
    )


def test_the_sweep_runs_on_the_worker(organisation, live_worker):
    code = make_code(organisation, expires_in=-timedelta(minutes=1))

    celery_app.send_task("approval_codes.tasks.expire_codes")

    assert wait_for(
        lambda: ApprovalCode.objects.filter(pk=code.pk, status=ApprovalCode.Status.EXPIRED).exists()
    )
