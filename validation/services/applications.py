"""The organisation applies (R-VAL-1 … R-VAL-5, R-VAL-7), answers staff's questions, applies
again, and asks for a review of a decision (R-VAL-10)."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from accounts.one_login import refuse_donor_login
from accounts.services import organisation_create
from clearinghouse.audit import record_event_about
from validation.business_days import add_business_days
from validation.emails import email_validation_submitted
from validation.errors import ReviewNotAvailable, ValidationRefused
from validation.models import Application, ApplicationMessage, LegalForm
from validation.reviews import reviewable_decision
from validation.services.common import (
    _application_opened,
    _check_evidence,
    _check_statements,
    _lock_application,
    _open_application,
    _organisation_message,
    _refresh,
)
from validation.status import organisation_move


def application_submit(
    *,
    user: User,
    statements,
    legal_form: LegalForm | None = None,
    evidence=(),
    **details: str,
) -> Application:
    """A signed-in user without an organisation applies (R-VAL-1, R-VAL-2, R-VAL-5, R-VAL-7):
    the organisation is created with the user as account holder and main contact, from its
    `details` (`DETAIL_FIELDS`, as `organisation_create` takes them). Its legal form and the
    documents proving its status go with the application (R-VAL-3)."""
    statements = _check_statements(statements)
    _check_evidence(
        country=details["country"], legal_form=legal_form, type=details["type"], evidence=evidence
    )
    with transaction.atomic():
        # Locking the applicant makes a double submission wait, then see the organisation.
        applicant = User.objects.select_for_update().get(pk=user.pk)
        if applicant.organisation_id is not None:
            raise ValidationRefused(_("You already belong to an organisation."))
        refuse_donor_login(user=applicant, error=ValidationRefused)
        organisation = organisation_create(
            account_holder=applicant, status=Organisation.Status.SUBMITTED, **details
        )
        user.organisation = organisation
        application = _open_application(
            organisation=organisation,
            kind=Application.Kind.APPLICATION,
            submitted_by=user,
            legal_form=legal_form,
        )
        _application_opened(
            application=application, user=user, statements=statements, evidence=evidence
        )
        email_validation_submitted(organisation, previous_status=None, application=application)
    return application


def application_reapply(*, organisation: Organisation, user: User, statements) -> Application:
    """A denied organisation applies again with its current details."""
    statements = _check_statements(statements)
    with transaction.atomic():
        organisation_move(
            organisation=organisation, to_status=Organisation.Status.SUBMITTED, actor=user
        )
        application = _open_application(
            organisation=organisation, kind=Application.Kind.REAPPLICATION, submitted_by=user
        )
        _application_opened(application=application, user=user, statements=statements)
    return application


def application_answer(
    *, application: Application, user: User, answer: str, document=None
) -> Application:
    """The organisation answers staff's request; the application returns to the queue and the
    business-day clock runs again (R-VAL-3, R-VAL-4)."""
    answer = (answer or "").strip()
    if not answer:
        raise ValidationRefused(_("Write your answer to the question from our staff."))
    with transaction.atomic():
        locked = _lock_application(application, expected=Application.Status.MORE_INFORMATION)
        today = timezone.localdate()
        remaining = settings.VALIDATION_DECISION_BUSINESS_DAYS - locked.business_days_banked
        locked.status = Application.Status.SUBMITTED
        locked.clock_started_on = today
        locked.due_on = add_business_days(today, remaining)
        locked.save(update_fields=["status", "clock_started_on", "due_on"])
        _organisation_message(
            application=locked,
            kind=ApplicationMessage.Kind.ANSWER,
            body=answer,
            user=user,
            document=document,
        )
        record_event_about(
            locked,
            verb="validation.information_given",
            actor=user,
            data={"document": document is not None},
        )
        organisation_move(
            organisation=locked.organisation, to_status=Organisation.Status.SUBMITTED, actor=user
        )
    return _refresh(application, locked)


def decision_review_request(
    *, organisation: Organisation, user: User, reasons: str, document=None
) -> Application:
    """A denied or revoked organisation asks staff to reconsider the same facts, once per
    decision, with its reasons (and a file). The request enters the staff queue with the
    earlier decision beside it; what staff then decide on that decision is final."""
    reasons = (reasons or "").strip()
    if not reasons:
        raise ValidationRefused(_("Write why our staff should reconsider the decision."))
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        decision = reviewable_decision(organisation=locked)
        if decision is None:
            raise ReviewNotAvailable()
        application = _open_application(
            organisation=locked,
            kind=Application.Kind.DECISION_REVIEW,
            submitted_by=user,
            review_of=decision.application,
            review_of_revocation=decision.revocation,
        )
        _organisation_message(
            application=application,
            kind=ApplicationMessage.Kind.REVIEW_REASONS,
            body=reasons,
            user=user,
            document=document,
        )
        record_event_about(
            application,
            verb="validation.review_requested",
            actor=user,
            data={
                "decision": decision.kind,
                "decision_id": decision.pk,
                "document": document is not None,
            },
        )
        organisation_move(
            organisation=organisation,
            to_status=Organisation.Status.SUBMITTED,
            actor=user,
            data={"review": application.pk},
        )
    return application
