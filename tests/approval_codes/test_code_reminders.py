"""Reminder 7 days before a code expires and notice when it has, each sent once."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from approval_codes import jobs
from approval_codes.models import ApprovalCode
from approval_codes.services import approval_code_renew
from clearinghouse.models import AuditEvent, OutboundEmail
from tests.approval_codes.jobs_helpers import make_code

pytestmark = pytest.mark.django_db


def _sent(template):
    return sorted(OutboundEmail.objects.filter(template=template).values_list("to", flat=True))


def test_seven_days_before_expiry_the_representative_and_the_issuer_are_reminded(
    organisation, holder
):
    code = make_code(organisation, expires_in=timedelta(days=6, hours=23))

    assert jobs.approval_code_reminders_send() == 1

    assert _sent("approval-code-expiring") == sorted([code.email, holder.email])
    to_person = OutboundEmail.objects.get(template="approval-code-expiring", to=code.email)
    assert code.code in to_person.body_text
    assert "account holder to renew" in to_person.body_text
    to_issuer = OutboundEmail.objects.get(template="approval-code-expiring", to=holder.email)
    assert code.full_name in to_issuer.subject
    assert code.code in to_issuer.body_text
    code.refresh_from_db()
    assert code.expiry_reminder_sent_at is not None
    assert AuditEvent.objects.filter(verb="approval_code.reminded", target_id=code.pk).count() == 1


def test_a_code_with_more_than_seven_days_left_gets_no_reminder_yet(organisation):
    make_code(organisation, expires_in=timedelta(days=7, hours=1))
    assert jobs.approval_code_reminders_send() == 0
    assert not OutboundEmail.objects.exists()


def test_the_reminder_is_sent_once_however_often_the_job_runs(organisation, holder):
    make_code(organisation, expires_in=timedelta(days=3))

    assert jobs.approval_code_reminders_send() == 1
    assert jobs.approval_code_reminders_send() == 0
    call_command("approval_code_reminders_send", stdout=StringIO())

    assert len(_sent("approval-code-expiring")) == 2


def test_the_reminder_is_in_the_issuers_language(organisation, holder):
    holder.language = "sv"
    holder.save(update_fields=["language"])
    make_code(organisation, expires_in=timedelta(days=3))

    jobs.approval_code_reminders_send()

    assert set(OutboundEmail.objects.values_list("language", flat=True)) == {"sv"}


def test_an_issuer_who_is_the_representative_gets_one_email(organisation, holder):
    make_code(organisation, expires_in=timedelta(days=3), email=holder.email.upper())
    jobs.approval_code_reminders_send()
    assert OutboundEmail.objects.count() == 1


def test_an_issuer_who_left_the_organisation_is_not_told(organisation, holder, user):
    code = make_code(organisation, expires_in=timedelta(days=3), issued_by=user)
    jobs.approval_code_reminders_send()
    assert _sent("approval-code-expiring") == [code.email]


def test_when_a_code_has_expired_both_get_a_notice_once(organisation, holder):
    code = make_code(organisation, expires_in=-timedelta(minutes=5))

    assert jobs.approval_code_reminders_send() == 1
    assert jobs.approval_code_reminders_send() == 0

    assert _sent("approval-code-expired") == sorted([code.email, holder.email])
    assert _sent("approval-code-expiring") == []  # too late for the reminder: only the notice
    notice = OutboundEmail.objects.get(template="approval-code-expired", to=code.email)
    assert "account holder to renew" in notice.body_text
    code.refresh_from_db()
    assert code.expiry_notice_sent_at is not None
    assert code.expiry_reminder_sent_at is not None


def test_the_sweep_does_not_stop_the_notice(organisation):
    code = make_code(organisation, expires_in=-timedelta(minutes=5))
    jobs.expire_codes()

    assert jobs.approval_code_reminders_send() == 1
    assert ApprovalCode.objects.get(pk=code.pk).expiry_notice_sent_at is not None


def test_a_reminded_code_later_gets_its_notice(organisation):
    code = make_code(organisation, expires_in=timedelta(days=2))
    jobs.approval_code_reminders_send()

    jobs.approval_code_reminders_send(now=code.expires_at + timedelta(hours=1))

    assert len(_sent("approval-code-expiring")) == 2
    assert len(_sent("approval-code-expired")) == 2


@pytest.mark.parametrize("status", [ApprovalCode.Status.REVOKED, ApprovalCode.Status.REPLACED])
def test_revoked_and_replaced_codes_get_neither(organisation, status):
    make_code(organisation, expires_in=timedelta(days=2), status=status)
    make_code(organisation, expires_in=-timedelta(days=1), status=status)

    assert jobs.approval_code_reminders_send() == 0
    assert not OutboundEmail.objects.exists()


def test_a_renewed_code_gets_no_notice(organisation, holder):
    code = make_code(organisation, expires_in=-timedelta(minutes=5))
    approval_code_renew(code=code, actor=holder)
    OutboundEmail.objects.all().delete()

    jobs.approval_code_reminders_send()

    assert _sent("approval-code-expired") == []


def test_codes_that_expired_long_ago_get_no_notice(organisation):
    make_code(organisation, expires_in=-(jobs.NOTICE_WITHIN + timedelta(hours=1)))
    assert jobs.approval_code_reminders_send() == 0


def test_the_task_sends_the_reminders(organisation):
    from approval_codes.tasks import approval_code_reminders_send

    make_code(organisation, expires_in=timedelta(days=1))
    approval_code_reminders_send.delay()
    assert len(_sent("approval-code-expiring")) == 2


def test_now_can_be_given(organisation):
    make_code(organisation, expires_in=timedelta(days=20))
    assert jobs.approval_code_reminders_send(now=timezone.now() + timedelta(days=14)) == 1
