"""The validation services: applying, staff decisions, attesting, editing details."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Organisation
from clearinghouse.audit import events_for
from clearinghouse.models import OutboundEmail
from tests.validation.conftest import ALL_STATEMENTS, DETAILS
from validation import services
from validation.errors import (
    AlreadyDecided,
    AttestationMissing,
    ReasonRequired,
    TransitionNotAllowed,
    ValidationRefused,
)
from validation.models import Application, ApplicationMessage, Attestation, AttestationDeadline

S = Organisation.Status


def test_applying_creates_the_organisation_with_the_applicant_as_account_holder(
    applicant, application
):
    organisation = application.organisation
    applicant.refresh_from_db()
    assert applicant.organisation == organisation
    assert organisation.account_holder == applicant
    assert organisation.status == S.SUBMITTED
    assert not organisation.is_eligible
    assert (organisation.legal_name, organisation.handle) == (
        "Malmö Reading Club",
        "MalmoReadingClub",
    )
    assert application.status == Application.Status.SUBMITTED
    assert application.kind == Application.Kind.APPLICATION
    assert application.legal_name == DETAILS["legal_name"]
    assert Attestation.objects.get(application=application).statements == ALL_STATEMENTS
    receipt = OutboundEmail.objects.get(to=applicant.email)
    assert receipt.template == "validation-submitted"
    assert "receipt" in receipt.body_text
    assert events_for(application).filter(verb="validation.application_submitted").exists()


@pytest.mark.parametrize("missing", ALL_STATEMENTS)
def test_a_missing_attestation_changes_nothing(applicant, missing):
    with pytest.raises(AttestationMissing):
        services.application_submit(
            user=applicant, statements=[s for s in ALL_STATEMENTS if s != missing], **DETAILS
        )
    assert not Organisation.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_a_user_who_already_belongs_to_an_organisation_cannot_apply(holder):
    with pytest.raises(ValidationRefused):
        services.application_submit(user=holder, statements=ALL_STATEMENTS, **DETAILS)
    assert Application.objects.count() == 0


def test_requesting_information_needs_a_message(application, reviewer):
    with pytest.raises(ReasonRequired):
        services.application_request_information(
            application=application, actor=reviewer, message="  "
        )
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_the_organisation_answers_and_the_application_returns_to_the_queue(
    application, reviewer, applicant
):
    services.application_request_information(
        application=application, actor=reviewer, message="Send your statutes."
    )
    assert application.organisation.status == S.MORE_INFORMATION
    assert application.status == Application.Status.MORE_INFORMATION
    document = SimpleUploadedFile("statutes.pdf", b"%PDF-1.4 statutes", "application/pdf")
    services.application_answer(
        application=application, user=applicant, answer="Here they are.", document=document
    )
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.organisation.status == S.SUBMITTED
    answer = application.messages.get(kind=ApplicationMessage.Kind.ANSWER)
    assert answer.body == "Here they are."
    stored = answer.documents.get()
    assert stored.original_name == "statutes.pdf"
    assert stored.file.read() == b"%PDF-1.4 statutes"
    assert "statutes" not in stored.file.name  # stored under a random name


def test_answering_when_no_question_is_open_changes_nothing(application, applicant):
    with pytest.raises(AlreadyDecided):
        services.application_answer(application=application, user=applicant, answer="Hello")
    assert not application.messages.exists()


def test_approving_makes_the_organisation_eligible_with_a_deadline_a_year_ahead(
    approved_application, reviewer
):
    organisation = approved_application.organisation
    organisation.refresh_from_db()
    assert organisation.status == S.APPROVED
    assert organisation.is_eligible
    assert Organisation.objects.eligible().filter(pk=organisation.pk).exists()
    assert approved_application.decided_by == reviewer
    deadline = AttestationDeadline.objects.get(organisation=organisation)
    assert deadline.due_on == timezone.localdate() + timedelta(days=365)


def test_denying_needs_a_reason_and_the_organisation_sees_it(application, reviewer):
    with pytest.raises(ReasonRequired):
        services.application_deny(application=application, actor=reviewer, reason="")
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    services.application_deny(application=application, actor=reviewer, reason="Not registered.")
    application.refresh_from_db()
    assert application.status == Application.Status.DENIED
    assert application.decision_reason == "Not registered."
    assert application.organisation.status == S.DENIED
    email = OutboundEmail.objects.get(template="validation-denied")
    assert "Not registered." in email.body_text


@pytest.mark.parametrize("second", ["approve", "deny", "request"])
def test_a_second_decision_on_a_decided_application_changes_nothing(
    approved_application, reviewer, second
):
    stale = Application.objects.get(pk=approved_application.pk)
    stale.status = Application.Status.SUBMITTED  # as a second staff member's page still shows
    action = {
        "approve": lambda: services.application_approve(application=stale, actor=reviewer),
        "deny": lambda: services.application_deny(application=stale, actor=reviewer, reason="x"),
        "request": lambda: services.application_request_information(
            application=stale, actor=reviewer, message="x"
        ),
    }[second]
    with pytest.raises(AlreadyDecided):
        action()
    approved_application.refresh_from_db()
    assert approved_application.status == Application.Status.APPROVED
    assert approved_application.organisation.status == S.APPROVED
    assert (
        events_for(approved_application.organisation)
        .filter(verb="validation.status_changed")
        .count()
        == 1
    )


def test_a_denied_organisation_can_apply_again(application, reviewer, applicant):
    services.application_deny(application=application, actor=reviewer, reason="Unclear mission.")
    organisation = application.organisation
    with pytest.raises(AttestationMissing):
        services.application_reapply(organisation=organisation, user=applicant, statements=[])
    again = services.application_reapply(
        organisation=organisation,
        user=applicant,
        statements=ALL_STATEMENTS,
    )
    assert again.kind == Application.Kind.REAPPLICATION
    assert again.status == Application.Status.SUBMITTED
    organisation.refresh_from_db()
    assert organisation.status == S.SUBMITTED


def test_an_organisation_under_review_cannot_apply_again(application, applicant):
    with pytest.raises(TransitionNotAllowed):
        services.application_reapply(
            organisation=application.organisation,
            user=applicant,
            statements=ALL_STATEMENTS,
        )
    assert Application.objects.count() == 1


def test_staff_revoke_an_approved_organisation_with_a_reason(approved_application, reviewer):
    organisation = approved_application.organisation
    with pytest.raises(ReasonRequired):
        services.organisation_revoke(organisation=organisation, actor=reviewer, reason="")
    services.organisation_revoke(organisation=organisation, actor=reviewer, reason="Resold.")
    organisation.refresh_from_db()
    assert organisation.status == S.REVOKED
    assert not organisation.is_eligible
    assert "Resold." in OutboundEmail.objects.get(template="validation-revoked").body_text


def test_a_revoked_organisation_cannot_attest_its_way_back(
    approved_application, reviewer, applicant
):
    organisation = approved_application.organisation
    services.organisation_revoke(organisation=organisation, actor=reviewer, reason="Resold.")
    with pytest.raises(TransitionNotAllowed):
        services.organisation_attest(
            organisation=organisation,
            user=applicant,
            statements=ALL_STATEMENTS,
            contacts_confirmed=True,
        )
    organisation.refresh_from_db()
    assert organisation.status == S.REVOKED


def test_attesting_moves_the_deadline_a_year_from_today(approved_application, applicant):
    organisation = approved_application.organisation
    AttestationDeadline.objects.filter(organisation=organisation).update(
        due_on=timezone.localdate() + timedelta(days=5), second_reminder_sent_at=timezone.now()
    )
    services.organisation_attest(
        organisation=organisation,
        user=applicant,
        statements=ALL_STATEMENTS,
        contacts_confirmed=True,
    )
    deadline = AttestationDeadline.objects.get(organisation=organisation)
    assert deadline.due_on == timezone.localdate() + timedelta(days=365)
    assert deadline.second_reminder_sent_at is None
    assert organisation.attestations.count() == 2


def test_attesting_needs_every_statement(approved_application, applicant):
    with pytest.raises(AttestationMissing):
        services.organisation_attest(
            organisation=approved_application.organisation,
            user=applicant,
            statements=ALL_STATEMENTS[:-1],
            contacts_confirmed=True,
        )
    assert approved_application.organisation.attestations.count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("legal_name", "Malmö Readers"),
        ("country", "NO"),
        ("type", Organisation.Type.PUBLIC_LIBRARY),
    ],
)
def test_changing_name_country_or_type_of_an_approved_organisation_sends_it_to_review(
    approved_application, applicant, field, value
):
    organisation = approved_application.organisation
    sent = services.organisation_details_update(
        organisation=organisation, user=applicant, **{field: value}
    )
    assert sent is True
    organisation.refresh_from_db()
    assert str(getattr(organisation, field)) == value
    assert organisation.status == S.SUBMITTED
    assert not organisation.is_eligible
    review = organisation.applications.get(status=Application.Status.SUBMITTED)
    assert review.kind == Application.Kind.RE_REVIEW
    assert field in review.changed_fields
    assert str(getattr(review, field)) == value


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("registration_number", "556677-8899"),
        ("address", "Ny gata 2"),
        ("website", "https://new.example.org"),
        ("mission", "More reading."),
    ],
)
def test_other_edits_keep_an_approved_organisation_approved(
    approved_application, applicant, field, value
):
    organisation = approved_application.organisation
    sent = services.organisation_details_update(
        organisation=organisation,
        user=applicant,
        **{field: value, "legal_name": DETAILS["legal_name"]},
    )
    assert sent is False
    organisation.refresh_from_db()
    assert organisation.status == S.APPROVED
    assert organisation.applications.count() == 1


def test_edits_while_under_review_update_what_staff_review(application, applicant):
    services.organisation_details_update(
        organisation=application.organisation, user=applicant, legal_name="Malmö Readers"
    )
    application.refresh_from_db()
    assert application.legal_name == "Malmö Readers"
    assert application.organisation.status == S.SUBMITTED
    assert Application.objects.count() == 1


def test_approving_a_review_after_changed_details_keeps_the_attestation_deadline(
    approved_application, applicant, reviewer
):
    organisation = approved_application.organisation
    due_on = timezone.localdate() + timedelta(days=100)
    AttestationDeadline.objects.filter(organisation=organisation).update(due_on=due_on)
    services.organisation_details_update(organisation=organisation, user=applicant, country="NO")
    review = organisation.applications.get(status=Application.Status.SUBMITTED)
    services.application_approve(application=review, actor=reviewer)
    organisation.refresh_from_db()
    assert organisation.status == S.APPROVED
    assert AttestationDeadline.objects.get(organisation=organisation).due_on == due_on
