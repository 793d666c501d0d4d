"""Posting webhook events to a real receiver: signature, retries with back-off, failure after a
day, and at-most-once recording per event id."""

import base64
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from approval_codes import donor_services, webhook_targets, webhooks
from approval_codes.errors import ApprovalCodeError
from approval_codes.models import DonorMembership, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from approval_codes.tasks import webhook_deliver, webhook_deliveries_enqueue
from clearinghouse.models import OutboundEmail
from tests.approval_codes.jobs_helpers import make_endpoint
from tests.approval_codes.webhook_receiver import WebhookReceiver, signature_is_valid
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SECRET = "whsec_MfKQ9r8GKYqrTmm7r9Y3tRYlYq0vS6Xh"
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
    (endpoint,) = WebhookEndpoint.objects.all()
    (delivery,) = webhooks.webhook_event_record(
        webhooks.CODE_REVOKED, {"code": "abcdefghjk@Org"}, donor_ids={endpoint.donor_id}
    )
    return delivery


def test_a_delivery_is_signed_and_carries_its_event_id(receiver, endpoint):
    delivery = _event()

    assert webhooks.webhook_deliver(delivery.pk) is True

    ((headers, body, answer),) = receiver.requests
    assert answer == 200
    assert headers["content-type"] == "application/json"
    assert headers["webhook-id"] == str(delivery.event_id)
    timestamp = int(headers["webhook-timestamp"])
    assert headers["webhook-signature"] == webhooks.sign(
        secrets=[SECRET], msg_id=str(delivery.event_id), timestamp=timestamp, body=body
    )
    # What a donor does with the standardwebhooks package:
    event = Webhook(SECRET).verify(body, headers)
    assert event["id"] == str(delivery.event_id)
    assert event["type"] == "code.revoked"
    assert event["data"] == {"code": "abcdefghjk@Org"}
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert delivery.attempts == 1
    assert delivery.last_response_status == 200
    assert delivery.delivered_at is not None
    assert delivery.next_attempt_at is None


def test_the_signature_is_the_standard_webhooks_one():
    secret = "whsec_" + base64.b64encode(b"0123456789abcdef0123").decode()
    body = b'{"id":"msg_1"}'
    when = datetime.now(UTC)

    header = webhooks.sign(
        secrets=[secret], msg_id="msg_1", timestamp=int(when.timestamp()), body=body
    )

    assert header == Webhook(secret).sign("msg_1", when, body.decode())
    headers = {
        "webhook-id": "msg_1",
        "webhook-timestamp": str(int(when.timestamp())),
        "webhook-signature": header,
    }
    assert signature_is_valid(secret=secret, headers=headers, body=body)
    assert not signature_is_valid(secret=secret, headers=headers, body=b"{}")


def test_a_receiver_with_another_secret_refuses_the_delivery(receiver):
    make_endpoint(url=receiver.url, secret="whsec_bm90LXRoZS1yZWNlaXZlcnMtc2VjcmV0")
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


def test_an_endpoint_answering_410_is_turned_off_and_the_donors_people_are_told(receiver, endpoint):
    person = UserFactory(email="dev@microsoft.example")
    DonorMembership.objects.create(donor=endpoint.donor, user=person)
    receiver.fail_first(1, status=410)
    gone, waiting = _event(), _event()

    assert webhooks.webhook_deliver(gone.pk) is False

    endpoint.refresh_from_db()
    assert endpoint.is_active is False
    assert "410" in endpoint.disabled_reason
    assert WebhookDelivery.objects.get(pk=gone.pk).status == WebhookDelivery.Status.FAILED
    assert WebhookDelivery.objects.get(pk=waiting.pk).status == WebhookDelivery.Status.FAILED
    (mail,) = OutboundEmail.objects.filter(template="donor-webhook-disabled")
    assert mail.to == "dev@microsoft.example"
    assert endpoint.url in mail.body_text
    assert "R-" not in mail.body_text
    assert webhooks.webhook_deliver(waiting.pk) is False
    assert len(receiver.requests) == 1


def test_during_a_rotation_both_secrets_sign_and_a_receiver_with_either_accepts(
    receiver, endpoint, clock
):
    rotated = donor_services.webhook_endpoint_rotate_secret(endpoint=endpoint)
    assert rotated.secret.startswith("whsec_") and rotated.secret != SECRET
    with WebhookReceiver(rotated.secret) as updated_receiver:
        WebhookEndpoint.objects.create(
            donor=endpoint.donor, url=updated_receiver.url, secret=rotated.secret
        )
        # the second endpoint shares nothing: give it the same overlap to prove the new secret
        WebhookEndpoint.objects.filter(url=updated_receiver.url).update(
            previous_secret=SECRET, previous_secret_until=rotated.previous_secret_until
        )
        for delivery in webhooks.webhook_event_record(
            webhooks.CODE_REVOKED, {"code": "abcdefghjk@Org"}, donor_ids={endpoint.donor_id}
        ):
            assert webhooks.webhook_deliver(delivery.pk) is True
        assert len(updated_receiver.events) == 1
    assert len(receiver.events) == 1  # the old secret still accepted during the overlap

    clock.shift(donor_services.SECRET_OVERLAP + timedelta(seconds=1))
    deliveries = webhooks.webhook_event_record(
        webhooks.CODE_REVOKED, {"code": "abcdefghjk@Org"}, donor_ids={endpoint.donor_id}
    )
    (late,) = [d for d in deliveries if d.endpoint_id == endpoint.pk]
    assert webhooks.webhook_deliver(late.pk) is False  # only the new secret signs now
    assert receiver.requests[-1][2] == 400


def test_a_second_rotation_during_the_overlap_is_refused_and_changes_nothing(endpoint):
    rotated = donor_services.webhook_endpoint_rotate_secret(endpoint=endpoint)

    with pytest.raises(ApprovalCodeError) as refused:
        donor_services.webhook_endpoint_rotate_secret(endpoint=endpoint)

    assert refused.value.code == "rotation_in_progress"
    assert "R-" not in str(refused.value.message)
    after = WebhookEndpoint.objects.get(pk=endpoint.pk)
    assert (after.secret, after.previous_secret) == (rotated.secret, SECRET)


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.example.org/ch",
        "https://127.0.0.1/ch",
        "https://10.1.2.3/ch",
        "https://[::1]/ch",
        "https://localhost/ch",
    ],
)
def test_webhooks_go_only_to_public_https_addresses(settings, url):
    settings.APPROVAL_CODES_WEBHOOK_ALLOW_LOCAL = False

    assert webhook_targets.refusal(url)
    with pytest.raises(ValidationError):
        webhook_targets.validate_webhook_url(url)


def test_a_delivery_to_an_address_that_became_private_is_not_posted(settings, receiver, endpoint):
    settings.APPROVAL_CODES_WEBHOOK_ALLOW_LOCAL = False
    delivery = _event()

    assert webhooks.webhook_deliver(delivery.pk) is False

    assert receiver.requests == []
    assert "https" in WebhookDelivery.objects.get(pk=delivery.pk).last_error
