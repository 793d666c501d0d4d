"""Webhooks for donor partners: `code.revoked`, `code.replaced` and
`organisation.eligibility_changed`.

An event is recorded, one `WebhookDelivery` per active endpoint of each donor that used a code
of the organisation with a secret key (`donors_who_saw`), inside the transaction of the change
that caused it, and posted by Celery after commit (see `deliver`). Each POST is signed the
Standard Webhooks way (https://www.standardwebhooks.com/), so donors verify it with the
`standardwebhooks` libraries:

    Content-Type: application/json
    webhook-id: <event id, also the body's "id"; the same on every retry>
    webhook-timestamp: <unix seconds>
    webhook-signature: v1,<base64 HMAC-SHA256(secret, "<id>.<timestamp>.<body>")>
                       (two, space-separated, while a rotated secret's overlap lasts)

A 2xx answer delivers it; 410 Gone turns the endpoint off and tells the donor's people;
anything else is retried with exponential back-off (1, 2, 4 … minutes, at most an hour apart)
until 24 hours after the event, and then it has failed.
"""

import base64
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

from approval_codes import api_log, webhook_targets
from approval_codes.models import (
    ApprovalCode,
    CodeSighting,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)

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


def donors_who_saw(*, code: ApprovalCode | None = None, organisation=None) -> set[int]:
    """The donors that used `code` (or any code of `organisation`) with one of their secret
    keys: recorded sightings, and those still waiting in the request log (`api_log`)."""
    sightings = CodeSighting.objects.all()
    if code is not None:
        sightings = sightings.filter(code=code)
        pending = {
            donor for donor, code_id, _org in api_log.pending_sightings() if code_id == code.pk
        }
    else:
        sightings = sightings.filter(organisation=organisation)
        pending = {
            donor
            for donor, _code, org_id in api_log.pending_sightings()
            if org_id == organisation.pk
        }
    return set(sightings.values_list("donor_id", flat=True).distinct()) | pending


def webhook_event_record(
    event_type: str, data: dict, *, donor_ids, test: bool = False
) -> list[WebhookDelivery]:
    """Record `event_type` for every active endpoint of the donors `donor_ids` in the event's
    mode (`test`: about a test organisation, for test endpoints only; live events never reach
    them); each is posted after commit. A donor hears only about organisations that used a
    code with it."""
    if not donor_ids:
        return []
    endpoints = list(
        WebhookEndpoint.objects.filter(
            is_active=True, donor__is_active=True, donor_id__in=donor_ids, is_test=test
        )
    )
    if not endpoints:
        return []
    now = timezone.now()
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            event_type=event_type,
            payload={"type": event_type, "timestamp": now.isoformat(), "data": data},
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


def code_revoked_record(*, code: ApprovalCode) -> list[WebhookDelivery]:
    """`code.revoked`, for the donors that saw the code."""
    return webhook_event_record(
        CODE_REVOKED,
        {"code": code.code, "status": code.status},
        donor_ids=donors_who_saw(code=code),
        test=code.organisation.is_test,
    )


def code_replaced_record(*, code: ApprovalCode, new_code: ApprovalCode) -> list[WebhookDelivery]:
    """`code.replaced`, for the donors that saw the old code."""
    return webhook_event_record(
        CODE_REPLACED,
        {"code": code.code, "replaced_by": new_code.code},
        donor_ids=donors_who_saw(code=code),
        test=code.organisation.is_test,
    )


def eligibility_changed_record(*, organisation) -> list[WebhookDelivery]:
    """`organisation.eligibility_changed`, for the donors that used a code of it."""
    return webhook_event_record(
        ELIGIBILITY_CHANGED,
        {"organisation": _organisation_payload(organisation)},
        donor_ids=donors_who_saw(organisation=organisation),
        test=organisation.is_test,
    )


def _on_eligibility_changed(sender, *, organisation, eligible: bool, **kwargs):
    eligibility_changed_record(organisation=organisation)


def connect_receivers() -> None:
    """The one cross-app signal webhooks listen to: validation changes an organisation's status
    (`accounts.signals.organisation_eligibility_changed`). The code events are recorded by the
    services that cause them (`approval_code_revoke`, `approval_code_renew`)."""
    from accounts.signals import organisation_eligibility_changed

    organisation_eligibility_changed.connect(
        _on_eligibility_changed, dispatch_uid="webhooks.eligibility_changed"
    )


# --- Delivery ---------------------------------------------------------------------------------

EVENT_ID_HEADER = "webhook-id"
TIMESTAMP_HEADER = "webhook-timestamp"
SIGNATURE_HEADER = "webhook-signature"
TIMEOUT_SECONDS = 5
CLAIM_FOR = timedelta(minutes=2)  # longer than one POST can take
FIRST_RETRY_AFTER = timedelta(minutes=1)
LONGEST_RETRY_AFTER = timedelta(hours=1)
RETRY_FOR = timedelta(hours=24)


def _secret_bytes(secret: str) -> bytes:
    """The key of a `whsec_<base64>` secret, decoded as the standardwebhooks libraries do."""
    return base64.b64decode(secret.removeprefix("whsec_") + "==")


def sign(*, secrets: list[str], msg_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` value: `v1,<base64 HMAC-SHA256>` over "id.timestamp.body", one
    per secret, space-separated."""
    message = f"{msg_id}.{timestamp}.".encode() + body
    return " ".join(
        "v1,"
        + base64.b64encode(hmac.new(_secret_bytes(s), message, hashlib.sha256).digest()).decode()
        for s in secrets
    )


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
    refusal = webhook_targets.refusal(delivery.endpoint.url)
    if refusal:
        return None, refusal
    body = delivery_body(delivery)
    timestamp = int(time.time())
    msg_id = str(delivery.event_id)
    request = urllib.request.Request(
        delivery.endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Clearinghouse-Webhooks/1",
            EVENT_ID_HEADER: msg_id,
            TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: sign(
                secrets=delivery.endpoint.signing_secrets(),
                msg_id=msg_id,
                timestamp=timestamp,
                body=body,
            ),
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


def _after_attempt(delivery, response_status: int | None, error: str, finished) -> dict:
    """The delivery's fields after an attempt: delivered on a 2xx; failed on 410 Gone or when
    the next retry would fall past `RETRY_FOR`; otherwise due again after the back-off."""
    update = {"last_response_status": response_status, "last_error": error}
    if response_status is not None and 200 <= response_status < 300:
        update.update(
            status=WebhookDelivery.Status.DELIVERED, delivered_at=finished, next_attempt_at=None
        )
    elif (
        response_status == 410
        or finished + retry_after(delivery.attempts) > delivery.created_at + RETRY_FOR
    ):
        update.update(status=WebhookDelivery.Status.FAILED, next_attempt_at=None)
    else:
        update["next_attempt_at"] = finished + retry_after(delivery.attempts)
    return update


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
    update = _after_attempt(delivery, response_status, error, finished)
    delivered = update.get("status") == WebhookDelivery.Status.DELIVERED
    gone = response_status == 410
    with transaction.atomic():
        WebhookAttempt.objects.create(
            delivery=delivery,
            attempted_at=finished,
            response_status=response_status,
            error=error,
            duration_ms=duration_ms,
        )
        WebhookDelivery.objects.filter(pk=delivery_id).update(**update)
    if gone:
        from approval_codes.donor_services import webhook_endpoint_disable

        webhook_endpoint_disable(
            endpoint=delivery.endpoint, reason="The endpoint answered 410 Gone."
        )
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
