"""Webhooks for donor partners: `code.revoked`, `code.replaced` and
`organisation.eligibility_changed`.

An event is recorded, one `WebhookDelivery` per active endpoint, inside the transaction of the
change that caused it, and posted by Celery after commit (see `deliver`).
"""

from django.db import transaction
from django.utils import timezone

from approval_codes.models import ApprovalCode, WebhookDelivery, WebhookEndpoint

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


def record_event(event_type: str, data: dict) -> list[WebhookDelivery]:
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
    from approval_codes.tasks import enqueue_webhook_deliveries

    enqueue_webhook_deliveries(delivery_ids)


def _on_code_revoked(sender, *, code: ApprovalCode, **kwargs):
    record_event(CODE_REVOKED, {"code": code.code, "status": code.status})


def _on_code_replaced(sender, *, code: ApprovalCode, new_code: ApprovalCode, **kwargs):
    record_event(CODE_REPLACED, {"code": code.code, "replaced_by": new_code.code})


def _on_eligibility_changed(sender, *, organisation, eligible: bool, **kwargs):
    record_event(ELIGIBILITY_CHANGED, {"organisation": _organisation_payload(organisation)})


def connect_receivers() -> None:
    from accounts.signals import organisation_eligibility_changed
    from approval_codes.signals import code_replaced, code_revoked

    code_revoked.connect(_on_code_revoked, dispatch_uid="webhooks.code_revoked")
    code_replaced.connect(_on_code_replaced, dispatch_uid="webhooks.code_replaced")
    organisation_eligibility_changed.connect(
        _on_eligibility_changed, dispatch_uid="webhooks.eligibility_changed"
    )
