"""Two runs of each job at the same moment do each piece of work once. Needs PostgreSQL's row
locks (FOR UPDATE SKIP LOCKED, claims by UPDATE); left out of the SQLite run."""

from datetime import timedelta

import pytest
from django.utils import timezone

from approval_codes import codes, jobs, webhooks
from approval_codes.models import ApprovalCode, WebhookDelivery
from clearinghouse.models import AuditEvent, OutboundEmail
from tests.approval_codes.jobs_helpers import make_code, make_endpoint
from tests.approval_codes.webhook_receiver import WebhookReceiver
from tests.concurrency import run_in_parallel

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(action, times=2):
    """Run `action` in `times` threads at once; any exception fails the test."""
    return run_in_parallel(lambda n: action(), times)[0]


def _many_expired_codes(organisation, count):
    past = timezone.now() - timedelta(hours=1)
    ApprovalCode.objects.bulk_create(
        ApprovalCode(
            code=(code := codes.make_code(organisation.handle)),
            lookup=code.lower(),
            organisation=organisation,
            first_name="A",
            last_name="B",
            email="a@example.org",
            created_at=past - timedelta(days=60),
            expires_at=past,
        )
        for _ in range(count)
    )


def test_two_sweeps_at_once_expire_and_record_each_code_once(organisation, other_organisation):
    _many_expired_codes(organisation, 3000)
    _many_expired_codes(other_organisation, 1000)

    results = _race(lambda: jobs.expire_codes(batch_size=200), times=3)

    assert sum(results) == 4000
    assert not ApprovalCode.objects.filter(status=ApprovalCode.Status.ACTIVE).exists()
    recorded = [
        code
        for data in AuditEvent.objects.filter(verb=jobs.EXPIRED_VERB).values_list("data", flat=True)
        for code in data["codes"]
    ]
    assert len(recorded) == len(set(recorded)) == 4000


def test_a_sweep_with_several_workers_expires_and_records_each_code_once(organisation):
    _many_expired_codes(organisation, 2000)

    assert jobs.expire_codes(batch_size=100, workers=3) == 2000

    assert not ApprovalCode.objects.filter(status=ApprovalCode.Status.ACTIVE).exists()
    counts = AuditEvent.objects.filter(verb=jobs.EXPIRED_VERB).values_list("data__count", flat=True)
    assert sum(counts) == 2000


def test_two_reminder_runs_at_once_send_each_email_once(organisation, holder):
    for _ in range(20):
        make_code(organisation, expires_in=timedelta(days=3))
    for _ in range(20):
        make_code(organisation, expires_in=-timedelta(hours=3))

    results = _race(jobs.approval_code_reminders_send, times=3)

    assert sum(results) == 40
    assert OutboundEmail.objects.filter(template="approval-code-expiring").count() == 40
    assert OutboundEmail.objects.filter(template="approval-code-expired").count() == 40
    assert AuditEvent.objects.filter(verb="approval_code.reminded").count() == 20


def test_two_workers_given_one_delivery_post_it_once(db):
    with WebhookReceiver("whsec_race") as receiver:
        endpoint = make_endpoint(url=receiver.url, secret="whsec_race")
        delivery = WebhookDelivery.objects.create(  # recorded, not yet queued
            event_type=webhooks.CODE_REVOKED,
            payload={"type": webhooks.CODE_REVOKED, "data": {"code": "x@Org"}},
            endpoint=endpoint,
            next_attempt_at=timezone.now(),
        )

        results = _race(lambda: webhooks.webhook_deliver(delivery.pk), times=4)

        assert sorted(results) == [False, False, False, True]
        assert len(receiver.requests) == 1
    assert WebhookDelivery.objects.get(pk=delivery.pk).attempts == 1
