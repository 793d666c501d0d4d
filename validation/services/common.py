"""What the validation services share: the organisation's details, opening an application,
attesting, the yearly deadline, locking an application."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from clearinghouse.audit import record_event_about
from validation.business_days import add_business_days
from validation.errors import (
    AlreadyDecided,
    ApplicationAlreadyOpen,
    AttestationMissing,
    ValidationRefused,
)
from validation.models import (
    Application,
    ApplicationDocument,
    ApplicationMessage,
    Attestation,
    AttestationDeadline,
    Statement,
)
from validation.selectors import evidence_requirements_for

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
    """The application, locked for a change of its state, after its organisation: every
    service that changes both locks the organisation first (an edit of the details does), so
    that two at once wait for each other and never deadlock."""
    Organisation.objects.select_for_update().only("pk").get(pk=application.organisation_id)
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status != expected:
        raise AlreadyDecided()
    return locked


def _refresh(application: Application, locked: Application) -> Application:
    application.refresh_from_db()
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


def _organisation_message(
    *, application: Application, kind: str, body: str, user: User, document=None
) -> ApplicationMessage:
    """The organisation's message on the application, with the document it attached (if any)."""
    message = ApplicationMessage.objects.create(
        application=application, kind=kind, body=body, author=user
    )
    if document is not None:
        _attach(application=application, message=message, document=document, user=user)
    return message


def _application_opened(*, application: Application, user: User, statements, evidence=()) -> None:
    """What goes with a submitted application: the documents proving the organisation's
    status, the attestation, and the audit event."""
    for document in evidence:
        _attach(application=application, message=None, document=document, user=user)
    _attest(
        organisation=application.organisation,
        user=user,
        statements=statements,
        application=application,
    )
    record_event_about(application, verb="validation.application_submitted", actor=user)
