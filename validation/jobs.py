"""The periodic jobs of R-VAL-4 and R-VAL-6. Each is idempotent and safe to run twice at once:
a row is claimed with `filter(...).update(...) == 1` before its email is sent."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Organisation
from clearinghouse.audit import record_event
from validation.emails import email_attestation_reminder, email_overdue_digest
from validation.errors import TransitionNotAllowed
from validation.models import AttestationDeadline, StaffDigest
from validation.selectors import applications_near_deadline, validation_staff
from validation.status import organisation_move

logger = logging.getLogger(__name__)


def attestation_reminders_send(*, today=None) -> int:
    """Remind approved organisations 30 and 7 days before their attestation deadline, each
    reminder once per deadline. Returns how many reminders were sent."""
    today = today or timezone.localdate()
    first_days, second_days = settings.VALIDATION_ATTESTATION_REMINDER_DAYS
    approved = AttestationDeadline.objects.filter(
        organisation__status=Organisation.Status.APPROVED, due_on__gte=today
    )
    sent = 0
    # The 7-day reminder first: a deadline already within 7 days gets only that one.
    for field, days, other in (
        ("second_reminder_sent_at", second_days, "first_reminder_sent_at"),
        ("first_reminder_sent_at", first_days, None),
    ):
        due = approved.filter(
            due_on__lte=today + timedelta(days=days), **{f"{field}__isnull": True}
        )
        for deadline_id in due.values_list("pk", flat=True):
            with transaction.atomic():
                now = timezone.now()
                claim = {field: now}
                if other:
                    claim[other] = now  # the earlier reminder is no longer worth sending
                claimed = AttestationDeadline.objects.filter(
                    pk=deadline_id, **{f"{field}__isnull": True}
                ).update(**claim)
                if claimed != 1:
                    continue
                deadline = AttestationDeadline.objects.select_related("organisation").get(
                    pk=deadline_id
                )
                email_attestation_reminder(deadline, days_left=(deadline.due_on - today).days)
                record_event(
                    actor="attestation reminders",
                    verb="validation.attestation_reminder_sent",
                    target=deadline.organisation,
                    organisation=deadline.organisation,
                    data={"due_on": deadline.due_on.isoformat(), "days": days},
                )
                sent += 1
    return sent


def lapsed_organisations_suspend(*, today=None) -> int:
    """Suspend approved organisations whose attestation deadline has passed (R-VAL-6), once
    per deadline. Returns how many were suspended."""
    today = today or timezone.localdate()
    lapsed = AttestationDeadline.objects.filter(
        organisation__status=Organisation.Status.APPROVED, due_on__lt=today, lapsed_at__isnull=True
    )
    suspended = 0
    for deadline_id in lapsed.values_list("pk", flat=True):
        try:
            with transaction.atomic():
                claimed = AttestationDeadline.objects.filter(
                    pk=deadline_id, due_on__lt=today, lapsed_at__isnull=True
                ).update(lapsed_at=timezone.now())
                if claimed != 1:
                    continue
                deadline = AttestationDeadline.objects.select_related("organisation").get(
                    pk=deadline_id
                )
                organisation_move(
                    organisation=deadline.organisation,
                    to_status=Organisation.Status.SUSPENDED,
                    actor="attestation deadline",
                    reason="attestation lapsed",
                    data={"due_on": deadline.due_on.isoformat()},
                )
                suspended += 1
        except TransitionNotAllowed:
            logger.info("Attestation deadline %s: organisation no longer approved", deadline_id)
    return suspended


def overdue_digest_send(*, today=None) -> int:
    """Once a day, email validation staff the applications past, or within two business days
    of, the 10-business-day deadline (R-VAL-4). Returns how many emails were sent."""
    today = today or timezone.localdate()
    applications = list(applications_near_deadline(today=today))
    if not applications:
        return 0
    try:
        with transaction.atomic():
            StaffDigest.objects.create(sent_on=today, application_count=len(applications))
            staff = list(validation_staff())
            for person in staff:
                email_overdue_digest(person, applications=applications, today=today)
    except IntegrityError:
        return 0  # today's digest is already sent
    return len(staff)
