"""Periodic jobs: attestation reminders 30 and 7 days before, each once; suspension when the
deadline passes and reinstatement on attesting (R-VAL-6); the staff digest (R-VAL-4)."""

from datetime import date, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Organisation
from clearinghouse.models import OutboundEmail
from tests.factories import UserFactory
from tests.validation.conftest import ALL_STATEMENTS
from validation import jobs, services
from validation.models import AttestationDeadline, StaffDigest

S = Organisation.Status


@pytest.fixture
def deadline(approved_application):
    return AttestationDeadline.objects.get(organisation=approved_application.organisation)


def _reminders():
    return OutboundEmail.objects.filter(template="validation-attestation-reminder")


def _set_due(deadline, days):
    deadline.due_on = timezone.localdate() + timedelta(days=days)
    deadline.save()


def test_no_reminder_more_than_30_days_before(deadline):
    _set_due(deadline, 31)
    assert jobs.attestation_reminders_send() == 0
    assert not _reminders().exists()


def test_the_30_day_reminder_is_sent_once(deadline):
    _set_due(deadline, 30)
    assert jobs.attestation_reminders_send() == 1
    assert jobs.attestation_reminders_send() == 0
    call_command("attestation_reminders_send", stdout=StringIO())
    assert _reminders().count() == 1
    assert "30 days" in _reminders().get().subject


def test_the_7_day_reminder_follows_the_30_day_one_once(deadline):
    _set_due(deadline, 30)
    jobs.attestation_reminders_send()
    _set_due(deadline, 7)
    assert jobs.attestation_reminders_send() == 1
    assert jobs.attestation_reminders_send() == 0
    assert _reminders().count() == 2


def test_a_deadline_already_within_7_days_gets_only_the_7_day_reminder(deadline):
    _set_due(deadline, 6)
    assert jobs.attestation_reminders_send() == 1
    assert jobs.attestation_reminders_send() == 0
    assert _reminders().count() == 1


def test_a_new_deadline_after_attesting_gets_its_own_reminders(deadline, applicant):
    _set_due(deadline, 7)
    jobs.attestation_reminders_send()
    services.organisation_attest(
        organisation=deadline.organisation,
        user=applicant,
        statements=ALL_STATEMENTS,
        contacts_confirmed=True,
    )
    with time_machine.travel(timezone.now() + timedelta(days=336)):
        assert jobs.attestation_reminders_send() == 1
    assert _reminders().count() == 2


def test_organisations_not_approved_get_no_reminder(deadline):
    _set_due(deadline, 7)
    Organisation.objects.filter(pk=deadline.organisation_id).update(status=S.REVOKED)
    assert jobs.attestation_reminders_send() == 0


def test_a_lapsed_deadline_suspends_the_organisation_once(deadline):
    _set_due(deadline, 0)
    assert jobs.lapsed_organisations_suspend() == 0  # due today: still fine
    _set_due(deadline, -1)
    assert jobs.lapsed_organisations_suspend() == 1
    assert jobs.lapsed_organisations_suspend() == 0
    call_command("lapsed_organisations_suspend", stdout=StringIO())
    organisation = Organisation.objects.get(pk=deadline.organisation_id)
    assert organisation.status == S.SUSPENDED
    assert not organisation.is_eligible
    assert OutboundEmail.objects.filter(template="validation-suspended").count() == 1


def test_attesting_reinstates_a_suspended_organisation(deadline, applicant):
    _set_due(deadline, -1)
    jobs.lapsed_organisations_suspend()
    organisation = Organisation.objects.get(pk=deadline.organisation_id)
    services.organisation_attest(
        organisation=organisation,
        user=applicant,
        statements=ALL_STATEMENTS,
        contacts_confirmed=True,
    )
    organisation.refresh_from_db()
    assert organisation.status == S.APPROVED
    assert organisation.is_eligible
    deadline.refresh_from_db()
    assert deadline.lapsed_at is None
    assert deadline.due_on == timezone.localdate() + timedelta(days=365)
    email = OutboundEmail.objects.get(template="validation-approved", subject__contains="again")
    assert email.to == applicant.email
    assert jobs.lapsed_organisations_suspend() == 0


@time_machine.travel("2026-11-02 09:00 +01:00", tick=False)
def test_the_digest_lists_applications_near_or_past_the_deadline_once_a_day(submit, reviewer):
    UserFactory(email="other-staff@clearinghouse.test", is_staff=True)  # not in the group
    late = submit()
    with time_machine.travel("2026-11-12 09:00 +01:00", tick=False):  # 8 business days
        second = submit(user=UserFactory(), legal_name="Fresh Org")
        assert jobs.overdue_digest_send() == 1
        assert jobs.overdue_digest_send() == 0
        call_command("overdue_digest_send", stdout=StringIO())
    digest = OutboundEmail.objects.get(template="validation-overdue-digest")
    assert digest.to == reviewer.email
    assert late.legal_name in digest.body_text
    assert second.legal_name not in digest.body_text
    assert StaffDigest.objects.get().sent_on == date(2026, 11, 12)


def test_no_digest_when_nothing_is_near_the_deadline(application, reviewer):
    assert jobs.overdue_digest_send() == 0
    assert not OutboundEmail.objects.filter(template="validation-overdue-digest").exists()


def _lapse(deadline):
    _set_due(deadline, -1)
    jobs.lapsed_organisations_suspend()
    return Organisation.objects.get(pk=deadline.organisation_id)


def test_approving_changed_details_of_a_suspended_organisation_leaves_it_suspended(
    deadline, applicant, reviewer
):
    """R-VAL-6: a review of changed details is no attestation; without this the organisation
    was approved with its deadline lapsed, and no job ever reminded or suspended it again."""
    organisation = _lapse(deadline)
    services.organisation_details_update(
        organisation=organisation, user=applicant, legal_name="Malmö Readers"
    )
    review = organisation.applications.get(status="submitted")
    services.application_approve(application=review, actor=reviewer)
    organisation.refresh_from_db()
    assert organisation.status == S.SUSPENDED  # attesting approves it again (test above)
    assert not organisation.is_eligible


def test_reinstating_an_organisation_whose_attestation_lapsed_leaves_it_suspended(
    deadline, reviewer
):
    """R-VAL-6, R-VAL-10: revoked while suspended, reinstated: it still has to attest."""
    organisation = _lapse(deadline)
    services.organisation_revoke(organisation=organisation, actor=reviewer, reason="Checked.")
    services.organisation_reinstate(organisation=organisation, actor=reviewer, reason="Fine.")
    organisation.refresh_from_db()
    assert organisation.status == S.SUSPENDED
    assert not organisation.is_eligible
    assert OutboundEmail.objects.filter(template="validation-suspended").count() == 2
