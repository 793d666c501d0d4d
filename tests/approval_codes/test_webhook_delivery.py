"""Posting webhook events to a real receiver: signature, retries with back-off, failure after a
day, and at-most-once recording per event id."""

import json
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
import time_machine
from django.utils import timezone

from approval_codes import webhooks
from approval_codes.models import WebhookAttempt, WebhookDelivery
from approval_codes.tasks import webhook_deliver, webhook_deliveries_enqueue
from tests.approval_codes.jobs_helpers import make_endpoint
from tests.approval_codes.webhook_receiver import WebhookReceiver, signature_is_valid

pytestmark = pytest.mark.django_db

SECRET = "whsec_4f1c2a"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def receiver():
    with WebhookReceiver(SECRET) as receiver:
        yield receiver


@pytest.fixture
def endpoint(receiver):
    return make_endpoint(url=receiver.url, secret=SECRET)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def _event():
    (delivery,) = webhooks.webhook_event_record(webhooks.CODE_REVOKED, {"code": "abcdefghjk@Org"})
    return delivery


def test_a_delivery_is_signed_and_carries_its_event_id(receiver, endpoint):
    delivery = _event()

    assert webhooks.webhook_deliver(delivery.pk) is True

    ((headers, body, answer),) = receiver.requests
    assert answer == 200
    assert headers["Content-Type"] == "application/json"
    assert headers["Clearinghouse-Event-Id"] == str(delivery.event_id)
    timestamp = int(headers["Clearinghouse-Timestamp"])
    assert headers["Clearinghouse-Signature"] == webhooks.sign(
        secret=SECRET, timestamp=timestamp, body=body
    )
    event = json.loads(body)
    assert event["id"] == str(delivery.event_id)
    assert event["type"] == "code.revoked"
    assert event["data"] == {"code": "abcdefghjk@Org"}
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert delivery.attempts == 1
    assert delivery.last_response_status == 200
    assert delivery.delivered_at is not None
    assert delivery.next_attempt_at is None


def test_the_signature_is_hmac_sha256_of_timestamp_dot_body():
    # printf '1700000000.{"id":"x"}' | openssl dgst -sha256 -hmac secret
    expected = "2f7852138f9dbd8d61c07c2cfb0b8ac96a46a32d78d4527788fb42fcb409a493"
    body = b'{"id":"x"}'

    header = webhooks.sign(secret="secret", timestamp=1700000000, body=body)

    assert header == f"t=1700000000,v1={expected}"
    assert signature_is_valid(secret="secret", header=header, body=body, now=1700000000)
    assert not signature_is_valid(secret="secret", header=header, body=b"{}", now=1700000000)


def test_a_receiver_with_another_secret_refuses_the_delivery(receiver):
    make_endpoint(url=receiver.url, secret="not-the-receivers-secret")
    delivery = _event()

    assert webhooks.webhook_deliver(delivery.pk) is False

    assert receiver.requests[0][2] == 400
    assert receiver.events == {}
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.PENDING
    assert delivery.last_response_status == 400


def test_failed_attempts_are_retried_with_exponential_back_off_until_delivered(
    receiver, endpoint, clock
):
    receiver.fail_first(3)
    delivery = _event()
    attempted = []

    for _ in range(10):
        webhooks.due_webhooks_deliver()
        delivery.refresh_from_db()
        if delivery.status != WebhookDelivery.Status.PENDING:
            break
        attempted.append(timezone.now())
        clock.move_to(delivery.next_attempt_at)

    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert delivery.attempts == 4
    assert [b - a for a, b in pairwise(attempted)] == [
        timedelta(minutes=1),
        timedelta(minutes=2),
    ]
    assert timezone.now() - START == timedelta(minutes=7)  # 1 + 2 + 4
    assert [answer for _, _, answer in receiver.requests] == [503, 503, 503, 200]
    assert list(receiver.events) == [str(delivery.event_id)]
    log = list(delivery.attempt_log.order_by("attempted_at").values_list("response_status"))
    assert log == [(503,), (503,), (503,), (200,)]


def test_a_delivery_that_is_not_due_is_not_attempted(receiver, endpoint, clock):
    receiver.fail_first(1)
    delivery = _event()
    webhooks.webhook_deliver(delivery.pk)

    clock.shift(timedelta(seconds=59))
    assert webhooks.webhook_deliver(delivery.pk) is False
    assert webhooks.due_webhooks_deliver() == 0

    assert len(receiver.requests) == 1


def test_back_off_is_capped_at_an_hour():
    assert webhooks.retry_after(1) == timedelta(minutes=1)
    assert webhooks.retry_after(4) == timedelta(minutes=8)
    assert webhooks.retry_after(30) == timedelta(hours=1)


def test_a_delivery_fails_after_24_hours_of_failed_attempts(receiver, endpoint, clock):
    receiver.fail_first(10_000)
    delivery = _event()

    while delivery.status == WebhookDelivery.Status.PENDING:
        webhooks.due_webhooks_deliver()
        delivery.refresh_from_db()
        if delivery.next_attempt_at:
            clock.move_to(delivery.next_attempt_at)

    assert delivery.status == WebhookDelivery.Status.FAILED
    last_attempt = delivery.attempt_log.latest("attempted_at").attempted_at
    assert timedelta(hours=23) < last_attempt - START <= timedelta(hours=24)
    assert delivery.attempts == len(receiver.requests) == delivery.attempt_log.count()
    assert delivery.attempts < 40
    assert delivery.last_response_status == 503
    assert webhooks.due_webhooks_deliver() == 0  # failed is final until staff redeliver


def test_an_unreachable_endpoint_is_retried_with_the_error_logged(clock):
    make_endpoint(url="http://127.0.0.1:9/nothing-listens-here", secret=SECRET)
    delivery = _event()

    assert webhooks.webhook_deliver(delivery.pk) is False

    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.PENDING
    assert delivery.last_response_status is None
    assert delivery.last_error
    assert delivery.next_attempt_at == timezone.now() + timedelta(minutes=1)
    assert WebhookAttempt.objects.get(delivery=delivery).error == delivery.last_error


def test_an_event_posted_twice_is_recorded_once_by_the_receiver(receiver, endpoint):
    delivery = _event()
    webhooks.webhook_deliver(delivery.pk)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=WebhookDelivery.Status.FAILED)
    webhooks.deliveries_redeliver(delivery_ids=[delivery.pk])
    webhooks.webhook_deliver(delivery.pk)

    assert len(receiver.requests) == 2
    assert [answer for _, _, answer in receiver.requests] == [200, 200]
    assert list(receiver.events) == [str(delivery.event_id)]


def test_a_claimed_attempt_is_not_posted_by_a_second_worker(receiver, endpoint):
    delivery = _event()

    assert webhooks.webhook_deliver(delivery.pk) is True
    assert webhooks.webhook_deliver(delivery.pk) is False
    webhook_deliver.delay(delivery.pk)

    assert len(receiver.requests) == 1


def test_an_attempt_in_progress_is_not_taken_by_another_worker(receiver, endpoint, clock):
    delivery = _event()
    # What a worker's claim leaves behind while its POST is under way:
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() + webhooks.CLAIM_FOR, attempts=1
    )

    assert webhooks.due_webhooks_deliver() == 0
    clock.shift(webhooks.CLAIM_FOR)  # the worker died: the delivery is due again
    assert webhooks.due_webhooks_deliver() == 1
    assert len(receiver.requests) == 1


def test_redeliver_queues_failed_deliveries_for_one_more_attempt(receiver, endpoint, clock):
    delivery = _event()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=WebhookDelivery.Status.FAILED, next_attempt_at=None
    )
    delivered = _event()
    webhooks.webhook_deliver(delivered.pk)

    clock.shift(timedelta(days=3))
    queued = webhooks.deliveries_redeliver(delivery_ids=[delivery.pk, delivered.pk])

    assert queued == 1
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.PENDING
    assert webhooks.due_webhooks_deliver() == 1


def test_a_redelivery_that_fails_again_is_failed_at_once(receiver, endpoint, clock):
    receiver.fail_first(1)
    delivery = _event()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=WebhookDelivery.Status.FAILED)
    clock.shift(timedelta(days=2))
    webhooks.deliveries_redeliver(delivery_ids=[delivery.pk])

    webhooks.due_webhooks_deliver()

    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.FAILED


def test_a_deactivated_endpoint_gets_nothing(receiver, endpoint):
    delivery = _event()
    endpoint.is_active = False
    endpoint.save()

    assert webhooks.webhook_deliver(delivery.pk) is False

    assert receiver.requests == []
    assert WebhookDelivery.objects.get(pk=delivery.pk).status == WebhookDelivery.Status.FAILED


def test_a_redirect_is_not_followed(receiver, clock):
    make_endpoint(url=receiver.url, secret=SECRET)
    delivery = _event()
    receiver.receive = lambda headers, body: 302

    assert webhooks.webhook_deliver(delivery.pk) is False

    delivery.refresh_from_db()
    assert delivery.last_response_status == 302
    assert delivery.status == WebhookDelivery.Status.PENDING


def test_enqueueing_survives_a_broker_outage(endpoint, monkeypatch, caplog):
    delivery = _event()

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(webhook_deliver, "apply_async", broker_down)
    webhook_deliveries_enqueue([delivery.pk])

    assert "will be attempted later" in caplog.text
    assert webhooks.due_delivery_ids() == [delivery.pk]  # the periodic task picks it up


def test_the_periodic_task_delivers_what_is_due(receiver, endpoint):
    from approval_codes.tasks import due_webhooks_deliver

    delivery = _event()
    due_webhooks_deliver.delay()

    assert WebhookDelivery.objects.get(pk=delivery.pk).status == WebhookDelivery.Status.DELIVERED
    assert list(receiver.events) == [str(delivery.event_id)]
