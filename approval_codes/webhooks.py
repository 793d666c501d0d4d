"""Webhooks for donor partners: `code.revoked`, `code.replaced` and
`organisation.eligibility_changed`.

An event is recorded, one `WebhookDelivery` per active endpoint, inside the transaction of the
change that caused it, and posted by Celery after commit (see `deliver`). Each POST carries

    Content-Type: application/json
    Clearinghouse-Event-Id: <uuid, also the body's "id"; the same on every retry>
    Clearinghouse-Timestamp: <unix seconds>
    Clearinghouse-Signature: t=<timestamp>,v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>

A 2xx answer delivers it; anything else is retried with exponential back-off (1, 2, 4 …
minutes, at most an hour apart) until 24 hours after the event, and then it has failed.
"""

import hashlib
import hmac
import http.client
import json
import logging
import time
import urllib.error
import urllib.request
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from approval_codes.models import ApprovalCode, WebhookAttempt, WebhookDelivery, WebhookEndpoint

logger = logging.getLogger(__name__)

CODE_REVOKED = "code.revoked"
CODE_REPLACED = "code.replaced"
ELIGIBILITY_CHANGED = "organisation.eligibility_changed"


def _organisation_payload(organisation) -> dict:
    return {
        "name": organisation.legal_name,
        "handle": organisation.handle,
        "country": str(organisation.country),
        "type": organisation.type,
        "validation_status": organisation.status,
        "eligible": organisation.is_eligible,
    }


def webhook_event_record(event_type: str, data: dict) -> list[WebhookDelivery]:
    """Record `event_type` for every active endpoint; each is posted after commit."""
    endpoints = list(WebhookEndpoint.objects.filter(is_active=True, donor__is_active=True))
    if not endpoints:
        return []
    now = timezone.now()
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            event_type=event_type,
            payload={"type": event_type, "created_at": now.isoformat(), "data": data},
            endpoint=endpoint,
            next_attempt_at=now,
            created_at=now,
        )
        for endpoint in endpoints
    )
    ids = [delivery.pk for delivery in deliveries]
    transaction.on_commit(lambda: _enqueue(ids))
    return deliveries


def _enqueue(delivery_ids: list[int]) -> None:
    from approval_codes.tasks import webhook_deliveries_enqueue

    webhook_deliveries_enqueue(delivery_ids)


def _on_code_revoked(sender, *, code: ApprovalCode, **kwargs):
    webhook_event_record(CODE_REVOKED, {"code": code.code, "status": code.status})


def _on_code_replaced(sender, *, code: ApprovalCode, new_code: ApprovalCode, **kwargs):
    webhook_event_record(CODE_REPLACED, {"code": code.code, "replaced_by": new_code.code})


def _on_eligibility_changed(sender, *, organisation, eligible: bool, **kwargs):
    webhook_event_record(ELIGIBILITY_CHANGED, {"organisation": _organisation_payload(organisation)})


def connect_receivers() -> None:
    from accounts.signals import organisation_eligibility_changed
    from approval_codes.signals import code_replaced, code_revoked

    code_revoked.connect(_on_code_revoked, dispatch_uid="webhooks.code_revoked")
    code_replaced.connect(_on_code_replaced, dispatch_uid="webhooks.code_replaced")
    organisation_eligibility_changed.connect(
        _on_eligibility_changed, dispatch_uid="webhooks.eligibility_changed"
    )


# --- Delivery ---------------------------------------------------------------------------------

EVENT_ID_HEADER = "Clearinghouse-Event-Id"
TIMESTAMP_HEADER = "Clearinghouse-Timestamp"
SIGNATURE_HEADER = "Clearinghouse-Signature"
TIMEOUT_SECONDS = 5
CLAIM_FOR = timedelta(minutes=2)  # longer than one POST can take
FIRST_RETRY_AFTER = timedelta(minutes=1)
LONGEST_RETRY_AFTER = timedelta(hours=1)
RETRY_FOR = timedelta(hours=24)


def sign(*, secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value: `t=<timestamp>,v1=<hex HMAC-SHA256>` over "t.body"."""
    message = str(timestamp).encode() + b"." + body
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def delivery_body(delivery: WebhookDelivery) -> bytes:
    return json.dumps(
        {"id": str(delivery.event_id), **delivery.payload}, separators=(",", ":")
    ).encode()


def retry_after(attempts: int) -> timedelta:
    """1 minute after the first failed attempt, then 2, 4, 8 … and never more than an hour."""
    return min(FIRST_RETRY_AFTER * 2 ** max(attempts - 1, 0), LONGEST_RETRY_AFTER)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer to retry, not to follow: urllib would turn the POST into a GET."""

    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    """POST the delivery once. Returns (HTTP status or None, error message)."""
    body = delivery_body(delivery)
    timestamp = int(time.time())
    request = urllib.request.Request(
        delivery.endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Clearinghouse-Webhooks/1",
            EVENT_ID_HEADER: str(delivery.event_id),
            TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: sign(secret=delivery.endpoint.secret, timestamp=timestamp, body=body),
        },
    )
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status, ""
    except urllib.error.HTTPError as error:
        error.close()
        return error.code, f"HTTP {error.code}"
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return None, str(reason)[:1000] or error.__class__.__name__


def webhook_deliver(delivery_id: int) -> bool:
    """Make the next attempt of a pending delivery that is due. True if it was delivered.

    The attempt is claimed first (its `next_attempt_at` moved past the time a POST can take),
    so two workers given the same delivery post it once; a worker that dies mid-attempt leaves
    it due again after `CLAIM_FOR`.
    """
    now = timezone.now()
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=now + CLAIM_FOR, attempts=F("attempts") + 1)
    if claimed != 1:
        return False
    delivery = WebhookDelivery.objects.select_related("endpoint__donor").get(pk=delivery_id)
    if not (delivery.endpoint.is_active and delivery.endpoint.donor.is_active):
        WebhookDelivery.objects.filter(pk=delivery_id).update(
            status=WebhookDelivery.Status.FAILED,
            next_attempt_at=None,
            last_error="The endpoint was deactivated.",
        )
        return False
    started = time.perf_counter()
    response_status, error = post(delivery)
    duration_ms = round((time.perf_counter() - started) * 1000)
    finished = timezone.now()
    update = {"last_response_status": response_status, "last_error": error}
    delivered = response_status is not None and 200 <= response_status < 300
    if delivered:
        update.update(status=WebhookDelivery.Status.DELIVERED, delivered_at=finished)
        update["next_attempt_at"] = None
    elif finished + retry_after(delivery.attempts) > delivery.created_at + RETRY_FOR:
        update.update(status=WebhookDelivery.Status.FAILED, next_attempt_at=None)
    else:
        update["next_attempt_at"] = finished + retry_after(delivery.attempts)
    with transaction.atomic():
        WebhookAttempt.objects.create(
            delivery=delivery,
            attempted_at=finished,
            response_status=response_status,
            error=error,
            duration_ms=duration_ms,
        )
        WebhookDelivery.objects.filter(pk=delivery_id).update(**update)
    if not delivered:
        logger.info("Webhook delivery %s attempt %s: %s", delivery_id, delivery.attempts, error)
    return delivered


def due_delivery_ids(*, limit: int = 500) -> list[int]:
    return list(
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=timezone.now()
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def due_webhooks_deliver(*, limit: int = 500) -> int:
    """Attempt every due delivery here and now. Returns how many were delivered."""
    return sum(webhook_deliver(delivery_id) for delivery_id in due_delivery_ids(limit=limit))


@transaction.atomic
def deliveries_redeliver(*, delivery_ids) -> int:
    """Staff's "Redeliver": one more attempt, now, of failed deliveries (same event id, so the
    donor records it at most once). Returns how many were queued."""
    ids = list(
        WebhookDelivery.objects.filter(pk__in=delivery_ids, status=WebhookDelivery.Status.FAILED)
        .select_for_update()
        .values_list("pk", flat=True)
    )
    WebhookDelivery.objects.filter(pk__in=ids).update(
        status=WebhookDelivery.Status.PENDING, next_attempt_at=timezone.now()
    )
    if ids:
        transaction.on_commit(lambda: _enqueue(ids))
    return len(ids)
