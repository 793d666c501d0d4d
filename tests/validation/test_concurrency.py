"""Two staff decide one application at the same moment: exactly one decision lands (R-VAL-3).
Needs PostgreSQL's row locks; left out of the SQLite run."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Organisation
from clearinghouse.models import AuditEvent, OutboundEmail
from tests.concurrency import run_in_parallel
from tests.factories import UserFactory
from validation import jobs, services
from validation.errors import AlreadyDecided
from validation.models import Application, AttestationDeadline

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(*actions):
    """Run each action in its own thread at once: "done", or "already decided" for each."""

    def run(n):
        actions[n]()
        return "done"

    done, refused = run_in_parallel(run, len(actions), expected=(AlreadyDecided,))
    return done + ["already decided"] * len(refused)


def test_approve_and_deny_at_once_leave_exactly_one_decision(application):
    first = UserFactory(email="first@clearinghouse.test", is_staff=True)
    second = UserFactory(email="second@clearinghouse.test", is_staff=True)
    outcomes = _race(
        lambda: services.application_approve(
            application=Application.objects.get(pk=application.pk), actor=first
        ),
        lambda: services.application_deny(
            application=Application.objects.get(pk=application.pk), actor=second, reason="No."
        ),
    )
    assert sorted(outcomes) == ["already decided", "done"]
    application.refresh_from_db()
    organisation = Organisation.objects.get(pk=application.organisation_id)
    assert organisation.status == application.status
    assert (
        AuditEvent.objects.filter(
            verb__in=["validation.application_approved", "validation.application_denied"]
        ).count()
        == 1
    )
    assert (
        OutboundEmail.objects.filter(
            template__in=["validation-approved", "validation-denied"]
        ).count()
        == 1
    )


def test_two_suspension_runs_at_once_suspend_and_email_once(application, reviewer):
    services.application_approve(application=application, actor=reviewer)
    AttestationDeadline.objects.update(due_on="2000-01-01")
    results = []
    outcomes = _race(
        lambda: results.append(jobs.lapsed_organisations_suspend()),
        lambda: results.append(jobs.lapsed_organisations_suspend()),
    )
    assert outcomes == ["done", "done"]
    assert sorted(results) == [0, 1]
    assert OutboundEmail.objects.filter(template="validation-suspended").count() == 1


def test_two_reminder_runs_at_once_send_each_reminder_once(application, reviewer):
    services.application_approve(application=application, actor=reviewer)
    AttestationDeadline.objects.update(due_on=timezone.localdate() + timedelta(days=20))
    results = []
    outcomes = _race(
        lambda: results.append(jobs.attestation_reminders_send()),
        lambda: results.append(jobs.attestation_reminders_send()),
    )
    assert outcomes == ["done", "done"]
    assert sorted(results) == [0, 1]
    assert OutboundEmail.objects.filter(template="validation-attestation-reminder").count() == 1


def test_a_decision_locks_the_organisation_before_its_application(application):
    """The same order as an edit of the organisation's details (organisation, then its open
    application), so a decision and an edit at once wait for each other, never deadlock."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        services.application_approve(application=application, actor=UserFactory(is_staff=True))
    locked = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    tables = [sql.split(" FROM ")[1].split()[0].strip('"') for sql in locked]
    assert tables[:2] == ["accounts_organisation", "validation_application"]
