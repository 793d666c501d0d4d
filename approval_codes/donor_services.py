"""Every operation that changes a donor partner's own things: webhook endpoints and their
secrets (and, with the donor area, its people and keys). Each is one transaction with its audit
event; mail goes out after commit.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approval_codes.emails import email_donor_webhook_disabled
from approval_codes.errors import ApprovalCodeError
from approval_codes.models import (
    DonorMembership,
    WebhookDelivery,
    WebhookEndpoint,
    new_webhook_secret,
)
from clearinghouse.audit import record_event

SECRET_OVERLAP = timedelta(hours=24)


@transaction.atomic
def webhook_endpoint_disable(*, endpoint: WebhookEndpoint, reason: str, actor=None) -> bool:
    """Turn an endpoint off (it answered 410 Gone, say): its pending deliveries fail, and the
    donor's people are told by email. False when it was already off."""
    turned_off = WebhookEndpoint.objects.filter(pk=endpoint.pk, is_active=True).update(
        is_active=False, disabled_reason=reason[:200]
    )
    if not turned_off:
        return False
    endpoint.is_active, endpoint.disabled_reason = False, reason[:200]
    WebhookDelivery.objects.filter(endpoint=endpoint, status=WebhookDelivery.Status.PENDING).update(
        status=WebhookDelivery.Status.FAILED,
        next_attempt_at=None,
        last_error="The endpoint was turned off.",
    )
    record_event(
        actor=actor,
        verb="webhook_endpoint.disabled",
        target=endpoint,
        data={"url": endpoint.url, "reason": reason},
    )
    for membership in DonorMembership.objects.filter(donor_id=endpoint.donor_id).select_related(
        "user"
    ):
        email_donor_webhook_disabled(endpoint, to=membership.user, reason=reason)
    return True


@transaction.atomic
def webhook_endpoint_rotate_secret(
    *, endpoint: WebhookEndpoint, actor=None, overlap: timedelta = SECRET_OVERLAP
) -> WebhookEndpoint:
    """A new signing secret. For `overlap` both the new and the previous secret sign every
    delivery, so the donor can switch its receiver without missing one. A rotation while the
    previous one still overlaps is refused (the secret in use would be lost)."""
    locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    now = timezone.now()
    if (
        locked.previous_secret
        and locked.previous_secret_until
        and locked.previous_secret_until > now
    ):
        raise ApprovalCodeError(
            _(
                "The secret was rotated a moment ago and the previous one is still accepted "
                "until %(until)s. Rotate again after that."
            )
            % {
                "until": timezone.localtime(locked.previous_secret_until).strftime("%Y-%m-%d %H:%M")
            },
            code="rotation_in_progress",
        )
    locked.previous_secret = locked.secret
    locked.previous_secret_until = now + overlap
    locked.secret = new_webhook_secret()
    locked.save(update_fields=["secret", "previous_secret", "previous_secret_until"])
    record_event(
        actor=actor,
        verb="webhook_endpoint.secret_rotated",
        target=locked,
        data={"url": locked.url, "previous_until": locked.previous_secret_until.isoformat()},
    )
    return locked
