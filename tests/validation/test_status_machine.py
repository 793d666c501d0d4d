"""The status machine (R-VAL-3, R-VAL-6, R-VAL-10): every allowed move, every forbidden one."""

import pytest
from django.core import mail

from accounts.models import Organisation
from accounts.signals import organisation_eligibility_changed
from clearinghouse.audit import events_for
from clearinghouse.models import OutboundEmail
from validation.errors import TransitionNotAllowed
from validation.status import ALLOWED_MOVES, can_move, organisation_move

S = Organisation.Status

ALLOWED = [
    (S.SUBMITTED, S.MORE_INFORMATION),
    (S.SUBMITTED, S.APPROVED),
    (S.SUBMITTED, S.DENIED),
    (S.MORE_INFORMATION, S.SUBMITTED),
    (S.APPROVED, S.SUSPENDED),
    (S.APPROVED, S.REVOKED),
    (S.APPROVED, S.SUBMITTED),
    (S.SUSPENDED, S.APPROVED),
    (S.SUSPENDED, S.REVOKED),
    (S.SUSPENDED, S.SUBMITTED),
    (S.DENIED, S.SUBMITTED),
    # R-VAL-10: a review of a revocation, its outcome, and staff reinstating.
    (S.SUBMITTED, S.REVOKED),
    (S.REVOKED, S.SUBMITTED),
    (S.REVOKED, S.APPROVED),
    # R-VAL-6: approved without attesting (changed details, reinstated) while it has lapsed.
    (S.SUBMITTED, S.SUSPENDED),
    (S.REVOKED, S.SUSPENDED),
]
FORBIDDEN = [(a, b) for a in S for b in S if (a, b) not in ALLOWED]


@pytest.fixture
def eligibility_signals():
    received = []

    def listener(sender, organisation, eligible, actor, **kwargs):
        received.append((organisation.pk, eligible, actor))

    organisation_eligibility_changed.connect(listener)
    yield received
    organisation_eligibility_changed.disconnect(listener)


def test_the_allowed_moves_are_exactly_those_of_the_issue():
    assert {(a, b) for a, targets in ALLOWED_MOVES.items() for b in targets} == set(ALLOWED)


@pytest.mark.parametrize(("from_status", "to_status"), ALLOWED)
def test_an_allowed_move_changes_the_status_records_who_and_why_and_emails(
    make_organisation, staff_user, from_status, to_status
):
    organisation = make_organisation(status=from_status)
    organisation_move(
        organisation=organisation, to_status=to_status, actor=staff_user, reason="Because."
    )
    organisation.refresh_from_db()
    assert organisation.status == to_status
    event = events_for(organisation).get(verb="validation.status_changed")
    assert (event.actor, event.data["from"], event.data["to"], event.data["reason"]) == (
        staff_user,
        from_status,
        to_status,
        "Because.",
    )
    email = OutboundEmail.objects.get(to=organisation.account_holder.email)
    assert email.template == f"validation-{to_status.replace('_', '-')}"


@pytest.mark.parametrize(("from_status", "to_status"), FORBIDDEN)
def test_a_forbidden_move_changes_nothing(make_organisation, staff_user, from_status, to_status):
    organisation = make_organisation(status=from_status)
    assert not can_move(from_status, to_status)
    with pytest.raises(TransitionNotAllowed):
        organisation_move(organisation=organisation, to_status=to_status, actor=staff_user)
    organisation.refresh_from_db()
    assert organisation.status == from_status
    assert not events_for(organisation).filter(verb="validation.status_changed").exists()
    assert not OutboundEmail.objects.exists()


@pytest.mark.parametrize(
    ("from_status", "to_status", "eligible"),
    [
        (S.SUBMITTED, S.APPROVED, True),
        (S.SUSPENDED, S.APPROVED, True),
        (S.APPROVED, S.SUSPENDED, False),
        (S.APPROVED, S.REVOKED, False),
        (S.APPROVED, S.SUBMITTED, False),
    ],
)
def test_a_flip_of_eligibility_is_signalled_once(
    make_organisation, staff_user, eligibility_signals, from_status, to_status, eligible
):
    organisation = make_organisation(status=from_status)
    organisation_move(organisation=organisation, to_status=to_status, actor=staff_user)
    assert eligibility_signals == [(organisation.pk, eligible, staff_user)]
    assert organisation.is_eligible is eligible


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    [(S.SUBMITTED, S.DENIED), (S.SUBMITTED, S.MORE_INFORMATION), (S.SUSPENDED, S.REVOKED)],
)
def test_a_move_that_keeps_eligibility_sends_no_signal(
    make_organisation, staff_user, eligibility_signals, from_status, to_status
):
    organisation = make_organisation(status=from_status)
    organisation_move(organisation=organisation, to_status=to_status, actor=staff_user)
    assert eligibility_signals == []


def test_the_email_is_in_the_recipients_language_and_delivered_after_commit(
    make_organisation, staff_user, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    organisation = make_organisation(status=S.SUBMITTED)
    organisation.account_holder.language = "sv"
    organisation.account_holder.save()
    with django_capture_on_commit_callbacks(execute=True):
        organisation_move(
            organisation=organisation,
            to_status=S.DENIED,
            actor=staff_user,
            reason="Not a nonprofit.",
        )
    assert len(mail.outbox) == 1
    assert "Not a nonprofit." in mail.outbox[0].body
    assert OutboundEmail.objects.get().language == "sv"
