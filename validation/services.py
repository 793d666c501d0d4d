"""Every write of the validation app (R-VAL-1 … R-VAL-10). Views, admin, tasks and commands
call these functions; each is one transaction that records an audit event and sends its email
through the outbox (delivered after commit)."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from accounts.one_login import refuse_donor_login
from accounts.services import organisation_create
from clearinghouse.audit import record_event
from validation.business_days import add_business_days, business_days_between
from validation.duplicates import organisation_duplicates
from validation.emails import email_validation_submitted
from validation.errors import (
    AlreadyDecided,
    ApplicationAlreadyOpen,
    AttestationMissing,
    ReasonRequired,
    ReviewNotAvailable,
    TransitionNotAllowed,
    ValidationRefused,
)
from validation.models import (
    Application,
    ApplicationDocument,
    ApplicationMessage,
    Attestation,
    AttestationDeadline,
    LegalForm,
    Statement,
)
from validation.reviews import reviewable_decision
from validation.selectors import attestation_contacts, evidence_requirements_for
from validation.status import organisation_move

DETAIL_FIELDS = (
    "legal_name",
    "type",
    "country",
    "registration_number",
    "address",
    "website",
    "mission",
)
# Changing one of these sends an approved organisation back to review.
REVIEWED_FIELDS = frozenset({"legal_name", "country", "type"})


def _check_statements(statements) -> list[str]:
    given = set(statements or ())
    if not set(Statement.values) <= given:
        raise AttestationMissing()
    return list(Statement.values)


def _snapshot(organisation: Organisation) -> dict:
    return {name: str(getattr(organisation, name)) for name in DETAIL_FIELDS}


def _check_evidence(*, country, legal_form, type, evidence) -> None:
    if legal_form is not None and str(legal_form.country) != str(country):
        raise ValidationRefused(_("Choose a legal form of the country you chose."))
    required = evidence_requirements_for(
        country=country, legal_form=legal_form, organisation_type=type
    )
    if required and not evidence:
        raise ValidationRefused(
            _("Attach the documents that prove your status: %(documents)s.")
            % {"documents": "; ".join(r.text(translation.get_language() or "en") for r in required)}
        )


def _open_application(
    *, organisation, kind, submitted_by, changed_fields=None, legal_form=None, **under_review
) -> Application:
    """Open an application with the organisation's details as they are now; the legal form
    carries over from its previous application unless given."""
    if legal_form is None:
        previous = organisation.applications.exclude(legal_form=None).order_by("-id").first()
        legal_form = previous.legal_form if previous else None
    today = timezone.localdate()
    open_statuses = [Application.Status.SUBMITTED, Application.Status.MORE_INFORMATION]
    if Application.objects.filter(organisation=organisation, status__in=open_statuses).exists():
        raise ApplicationAlreadyOpen  # one open application (a constraint): never a 500
    return Application.objects.create(
        organisation=organisation,
        kind=kind,
        submitted_by=submitted_by,
        changed_fields=changed_fields or {},
        clock_started_on=today,
        due_on=add_business_days(today, settings.VALIDATION_DECISION_BUSINESS_DAYS),
        legal_form=legal_form,
        **under_review,
        **_snapshot(organisation),
    )


def _attest(*, organisation, user, statements, application=None) -> Attestation:
    return Attestation.objects.create(
        organisation=organisation,
        application=application,
        statements=statements,
        attested_by=user,
    )


def _start_attestation_year(*, organisation) -> AttestationDeadline:
    due_on = timezone.localdate() + timedelta(days=settings.VALIDATION_ATTESTATION_INTERVAL_DAYS)
    deadline, _created = AttestationDeadline.objects.update_or_create(
        organisation=organisation,
        defaults={
            "due_on": due_on,
            "first_reminder_sent_at": None,
            "second_reminder_sent_at": None,
            "lapsed_at": None,
        },
    )
    return deadline


def _lock_application(application: Application, *, expected: str) -> Application:
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status != expected:
        raise AlreadyDecided()
    return locked


def _refresh(application: Application, locked: Application) -> Application:
    application.refresh_from_db()
    return application


# --- The organisation applies -----------------------------------------------------------------


def application_submit(
    *,
    user: User,
    legal_name: str,
    type: str,
    country: str,
    registration_number: str,
    address: str,
    website: str = "",
    mission: str = "",
    statements,
    legal_form: LegalForm | None = None,
    evidence=(),
) -> Application:
    """A signed-in user without an organisation applies (R-VAL-1, R-VAL-2, R-VAL-5, R-VAL-7):
    the organisation is created with the user as account holder and main contact. Its legal
    form and the documents proving its status go with the application (R-VAL-3)."""
    statements = _check_statements(statements)
    _check_evidence(country=country, legal_form=legal_form, type=type, evidence=evidence)
    with transaction.atomic():
        # Locking the applicant makes a double submission wait, then see the organisation.
        applicant = User.objects.select_for_update().get(pk=user.pk)
        if applicant.organisation_id is not None:
            raise ValidationRefused(_("You already belong to an organisation."))
        refuse_donor_login(user=applicant, error=ValidationRefused)
        organisation = organisation_create(
            account_holder=applicant,
            legal_name=legal_name,
            country=country,
            type=type,
            registration_number=registration_number,
            address=address,
            website=website,
            mission=mission,
            status=Organisation.Status.SUBMITTED,
        )
        user.organisation = organisation
        application = _open_application(
            organisation=organisation,
            kind=Application.Kind.APPLICATION,
            submitted_by=user,
            legal_form=legal_form,
        )
        for document in evidence:
            _attach(application=application, message=None, document=document, user=user)
        _attest(
            organisation=organisation, user=user, statements=statements, application=application
        )
        record_event(
            actor=user,
            verb="validation.application_submitted",
            target=application,
            organisation=organisation,
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
        _attest(
            organisation=organisation, user=user, statements=statements, application=application
        )
        record_event(
            actor=user,
            verb="validation.application_submitted",
            target=application,
            organisation=organisation,
        )
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
        message = ApplicationMessage.objects.create(
            application=locked, kind=ApplicationMessage.Kind.ANSWER, body=answer, author=user
        )
        if document is not None:
            ApplicationDocument.objects.create(
                application=locked,
                message=message,
                file=document,
                original_name=document.name[:255],
                content_type=getattr(document, "content_type", "") or "",
                size=document.size,
                uploaded_by=user,
            )
        record_event(
            actor=user,
            verb="validation.information_given",
            target=locked,
            organisation=locked.organisation,
            data={"document": document is not None},
        )
        organisation_move(
            organisation=locked.organisation, to_status=Organisation.Status.SUBMITTED, actor=user
        )
    return _refresh(application, locked)


# --- Staff decide (Django admin) --------------------------------------------------------------


def application_request_information(
    *, application: Application, actor: User, message: str
) -> Application:
    """Staff ask the organisation for more information; the clock pauses (R-VAL-3, R-VAL-4)."""
    message = (message or "").strip()
    if not message:
        raise ReasonRequired(_("Write the message: the organisation will read it and answer it."))
    with transaction.atomic():
        locked = _lock_application(application, expected=Application.Status.SUBMITTED)
        locked.business_days_banked += business_days_between(
            locked.clock_started_on, timezone.localdate()
        )
        locked.status = Application.Status.MORE_INFORMATION
        locked.due_on = None
        locked.save(update_fields=["status", "business_days_banked", "due_on"])
        ApplicationMessage.objects.create(
            application=locked, kind=ApplicationMessage.Kind.REQUEST, body=message, author=actor
        )
        record_event(
            actor=actor,
            verb="validation.information_requested",
            target=locked,
            organisation=locked.organisation,
            data={"message": message},
        )
        organisation_move(
            organisation=locked.organisation,
            to_status=Organisation.Status.MORE_INFORMATION,
            actor=actor,
            reason=message,
        )
    return _refresh(application, locked)


def _decide(*, application, actor, status, reason, verb, data=None) -> Application:
    with transaction.atomic():
        locked = _lock_application(application, expected=Application.Status.SUBMITTED)
        locked.business_days_banked += business_days_between(
            locked.clock_started_on, timezone.localdate()
        )
        locked.clock_started_on = timezone.localdate()
        locked.status = status
        locked.due_on = None
        locked.decided_at = timezone.now()
        locked.decided_by = actor
        locked.decision_reason = reason
        locked.save()
        record_event(
            actor=actor,
            verb=verb,
            target=locked,
            organisation=locked.organisation,
            data={"reason": reason, **(data or {})},
        )
        organisation_status = status
        if status == Application.Status.DENIED and locked.review_of_revocation_id is not None:
            # A review that upholds a revocation leaves the organisation revoked (R-VAL-10).
            organisation_status = Organisation.Status.REVOKED
        organisation_move(
            organisation=locked.organisation,
            to_status=organisation_status,
            actor=actor,
            reason=reason,
            data={"review": locked.pk} if locked.kind == Application.Kind.DECISION_REVIEW else None,
        )
        if status == Application.Status.APPROVED and (
            locked.kind != Application.Kind.RE_REVIEW
            or not AttestationDeadline.objects.filter(organisation=locked.organisation).exists()
        ):
            # A review after changed details carries no new attestation: the deadline stays.
            _start_attestation_year(organisation=locked.organisation)
    return _refresh(application, locked)


def application_approve(
    *, application: Application, actor: User, reason: str = "", branch_note: str = ""
) -> Application:
    """Staff approve: the organisation is eligible and must attest again within a year.

    R-VAL-8: when another organisation has the same registration number or website domain,
    staff approve only as a separate branch (its own IT and allotment), with a note that stays
    in the audit trail and is never shown to the organisation.
    """
    branch_note = (branch_note or "").strip()
    duplicates = organisation_duplicates(organisation=application.organisation)
    if duplicates and not branch_note:
        raise ReasonRequired(
            _(
                "Another account may belong to this organisation. Deny the application, or "
                "approve it as a separate branch with its own IT and write a note saying why."
            )
        )
    with transaction.atomic():
        decided = _decide(
            application=application,
            actor=actor,
            status=Application.Status.APPROVED,
            reason=(reason or "").strip(),
            verb="validation.application_approved",
        )
        if duplicates:
            record_event(
                actor=actor,
                verb="validation.approved_as_separate_branch",
                target=decided,
                organisation=decided.organisation,
                data={
                    "note": branch_note,
                    "other_organisations": [
                        {"id": d.organisation.pk, "handle": d.organisation.handle}
                        for d in duplicates
                    ],
                },
            )
    return decided


def application_deny(*, application: Application, actor: User, reason: str) -> Application:
    """Staff deny, with a reason the organisation sees (R-VAL-3)."""
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired(_("Write the reason for the denial: the organisation will read it."))
    duplicates = organisation_duplicates(organisation=application.organisation)
    return _decide(
        application=application,
        actor=actor,
        status=Application.Status.DENIED,
        reason=reason,
        verb="validation.application_denied",
        data={"other_organisations": [d.organisation.handle for d in duplicates]}
        if duplicates
        else None,
    )


def organisation_revoke(*, organisation: Organisation, actor: User, reason: str) -> Organisation:
    """Staff revoke an approved or suspended organisation's validation (R-VAL-10)."""
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired(_("Write the reason for revoking: the organisation will read it."))
    return organisation_move(
        organisation=organisation,
        to_status=Organisation.Status.REVOKED,
        actor=actor,
        reason=reason,
    )


def organisation_reinstate(*, organisation: Organisation, actor: User, reason: str) -> Organisation:
    """Staff reinstate a revoked organisation (R-VAL-10): it is eligible again. Its yearly
    attestation deadline starts again if it had none."""
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired(_("Write the reason for reinstating: the organisation will read it."))
    with transaction.atomic():
        organisation_move(
            organisation=organisation,
            to_status=Organisation.Status.APPROVED,
            actor=actor,
            reason=reason,
            data={"reinstated": True},
        )
        if not AttestationDeadline.objects.filter(organisation=organisation).exists():
            _start_attestation_year(organisation=organisation)
    return organisation


# --- Review of a decision (R-VAL-10) ----------------------------------------------------------


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
        message = ApplicationMessage.objects.create(
            application=application,
            kind=ApplicationMessage.Kind.REVIEW_REASONS,
            body=reasons,
            author=user,
        )
        if document is not None:
            _attach(application=application, message=message, document=document, user=user)
        record_event(
            actor=user,
            verb="validation.review_requested",
            target=application,
            organisation=locked,
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


def _attach(*, application, message, document, user) -> ApplicationDocument:
    return ApplicationDocument.objects.create(
        application=application,
        message=message,
        file=document,
        original_name=document.name[:255],
        content_type=getattr(document, "content_type", "") or "",
        size=document.size,
        uploaded_by=user,
    )


# --- Staying eligible (R-VAL-6) ---------------------------------------------------------------


def organisation_attest(
    *, organisation: Organisation, user: User, statements, contacts_confirmed: bool
) -> Attestation:
    """The yearly attestation: a new deadline a year ahead; a suspended organisation is
    approved again. The organisation confirms its main and billing contacts with it (R-VAL-6);
    the attestation keeps them as they were confirmed."""
    statements = _check_statements(statements)
    if not contacts_confirmed:
        raise AttestationMissing(
            _("Confirm that the main contact and the billing contact are right, or update them.")
        )
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if locked.status not in Organisation.VALIDATED_STATUSES:
            raise TransitionNotAllowed(_("Only an approved or suspended organisation can attest."))
        attestation = _attest(organisation=locked, user=user, statements=statements)
        attestation.contacts_confirmed = {
            role: {"name": contact.full_name, "email": contact.email}
            for role, contact in attestation_contacts(organisation=locked).items()
        }
        attestation.save(update_fields=["contacts_confirmed"])
        deadline = _start_attestation_year(organisation=locked)
        record_event(
            actor=user,
            verb="validation.attested",
            target=locked,
            organisation=locked,
            data={"next_deadline": deadline.due_on.isoformat()},
        )
        if locked.status == Organisation.Status.SUSPENDED:
            organisation_move(
                organisation=organisation, to_status=Organisation.Status.APPROVED, actor=user
            )
    return attestation


def organisation_details_update(*, organisation: Organisation, user: User, **fields) -> bool:
    """Edit the organisation's details. Changing an approved (or suspended) organisation's
    legal name, country or type sends it back to review: it is not eligible until staff
    approve it again. Returns True when it was sent to review."""
    unknown = set(fields) - set(DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"Not an organisation detail: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        changes = {
            name: [str(getattr(locked, name)), str(value)]
            for name, value in fields.items()
            if str(getattr(locked, name)) != str(value)
        }
        if not changes:
            return False
        for name in changes:
            setattr(locked, name, fields[name])
            setattr(organisation, name, fields[name])
        locked.save(update_fields=list(changes))
        record_event(
            actor=user,
            verb="validation.details_changed",
            target=locked,
            organisation=locked,
            data={"changes": changes},
        )
        reviewed = {name: change for name, change in changes.items() if name in REVIEWED_FIELDS}
        sent_to_review = bool(reviewed) and locked.status in (
            Organisation.Status.APPROVED,
            Organisation.Status.SUSPENDED,
        )
        if sent_to_review:
            organisation_move(
                organisation=organisation,
                to_status=Organisation.Status.SUBMITTED,
                actor=user,
                data={"changed": reviewed},
            )
            _open_application(
                organisation=locked,
                kind=Application.Kind.RE_REVIEW,
                submitted_by=user,
                changed_fields=reviewed,
            )
        else:
            # An application under review shows what the organisation now says.
            Application.objects.open().filter(organisation=locked).update(
                **{name: str(fields[name]) for name in changes}
            )
    return sent_to_review
