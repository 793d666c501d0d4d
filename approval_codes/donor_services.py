"""Every operation that changes a donor partner's own things: webhook endpoints and their
secrets (and, with the donor area, its people and keys). Each is one transaction with its audit
event; mail goes out after commit.
"""

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approval_codes import webhook_targets
from approval_codes.emails import email_donor_person_invited, email_donor_webhook_disabled
from approval_codes.errors import ApprovalCodeError, ApprovalCodeErrorCode
from approval_codes.models import (
    DonorMembership,
    WebhookDelivery,
    WebhookEndpoint,
    new_webhook_secret,
)
from clearinghouse.audit import record_event
from clearinghouse.l10n import moment

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
            % {"until": moment(locked.previous_secret_until)},
            code=ApprovalCodeErrorCode.ROTATION_IN_PROGRESS,
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


@transaction.atomic
def webhook_endpoint_create(
    *, donor, url: str, actor=None, is_test: bool = False
) -> WebhookEndpoint:
    """A new endpoint of `donor` with a fresh Standard Webhooks secret (`is_test`: it receives
    the events about test organisations, and only those). The URL must be public https
    (`webhook_targets`); raises ApprovalCodeError otherwise."""
    refusal = webhook_targets.refusal(url)
    if refusal:
        raise ApprovalCodeError(refusal, code=ApprovalCodeErrorCode.WEBHOOK_URL, field="url")
    endpoint = WebhookEndpoint.objects.create(donor=donor, url=url, is_test=is_test)
    record_event(
        actor=actor,
        verb="webhook_endpoint.created",
        target=endpoint,
        data={"url": url, "test": is_test},
    )
    return endpoint


@transaction.atomic
def webhook_delivery_resend(*, delivery: WebhookDelivery, actor=None) -> bool:
    """One more attempt, now, of a delivery that failed or was delivered (same event id, so
    the donor records it at most once). False while it is still pending."""
    updated = (
        WebhookDelivery.objects.filter(pk=delivery.pk, endpoint__is_active=True)
        .exclude(status=WebhookDelivery.Status.PENDING)
        .update(status=WebhookDelivery.Status.PENDING, next_attempt_at=timezone.now())
    )
    if updated:
        from approval_codes.webhooks import _enqueue

        record_event(
            actor=actor,
            verb="webhook_delivery.resent",
            target=delivery,
            data={"event_id": str(delivery.event_id)},
        )
        transaction.on_commit(lambda: _enqueue([delivery.pk]))
    return bool(updated)


def donor_person_refusal(email: str) -> str:
    """Why `email` cannot become a donor person ("" when it can): a login belongs to one donor
    or to one organisation, never both."""
    from accounts.models import User

    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        return ""
    if user.organisation_id is not None or hasattr(user, "held_organisation"):
        return _(
            "This address signs in to an organisation's account; a donor person needs a login "
            "of its own."
        )
    if DonorMembership.objects.filter(user=user).exists():
        return _("This address already belongs to a donor person.")
    return ""


@transaction.atomic
def donor_person_invite(*, donor, email: str, invited_by) -> DonorMembership:
    """Make `email` a person of `donor`: a login of its own (no organisation, never one later)
    that sets its password through allauth's reset link and must set up an authenticator app
    before it reaches the donor area. Refused for a login of an organisation or of another
    donor."""
    from allauth.account.models import EmailAddress

    from accounts.models import User

    email = email.strip().lower()
    refusal = donor_person_refusal(email)
    if refusal:
        raise ApprovalCodeError(refusal, code=ApprovalCodeErrorCode.LOGIN_TAKEN, field="email")
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=None)
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    membership = DonorMembership.objects.create(donor=donor, user=user, invited_by=invited_by)
    record_event(
        actor=invited_by, verb="donor_person.invited", target=membership, data={"email": email}
    )
    email_donor_person_invited(membership)
    return membership


def origin_of(value: str) -> str | None:
    """`https://shop.example` from what a donor typed (a URL or an origin), or None."""
    from urllib.parse import urlsplit

    parts = urlsplit(value.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname or parts.username:
        return None
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname.lower()}{port}"


@transaction.atomic
def publishable_key_issue(*, donor, name: str, origins, actor=None, is_test: bool = False):
    """A publishable key for the checker script in `donor`'s web forms, usable only from
    `origins` (`is_test`: it checks only test organisations' codes). Raises ApprovalCodeError
    when an origin is not one."""
    from approval_codes.models import ApiKey

    cleaned = []
    for value in origins:
        origin = origin_of(value)
        if origin is None:
            raise ApprovalCodeError(
                _("“%(value)s” is not a web origin such as https://shop.example.")
                % {"value": value[:100]},
                code=ApprovalCodeErrorCode.NOT_AN_ORIGIN,
                field="origins",
            )
        if origin not in cleaned:
            cleaned.append(origin)
    if not cleaned:
        raise ApprovalCodeError(
            _("List the web origins (such as https://shop.example) of your forms."),
            code=ApprovalCodeErrorCode.NO_ORIGINS,
            field="origins",
        )
    prefix = "chp_" + secrets.token_hex(6)
    api_key = ApiKey.objects.create(
        donor=donor,
        name=name,
        prefix=prefix,
        key_hash=ApiKey.hash_of(prefix),
        kind=ApiKey.Kind.PUBLISHABLE,
        allowed_origins=cleaned,
        is_test=is_test,
    )
    record_event(
        actor=actor,
        verb="api_key.issued",
        target=api_key,
        data={"prefix": prefix, "kind": "publishable", "origins": cleaned, "test": is_test},
    )
    return api_key
