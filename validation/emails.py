"""The mail of validation: one function per message, named after it. Messages to an
organisation go to everyone who receives validation mail (`send_to_organisation`); each is
recorded in the caller's transaction (delivered after commit)."""

from accounts.emails import send_to_organisation
from accounts.models import MessageCategory, Organisation
from clearinghouse.mail import send_email_to_user

Status = Organisation.Status


def _to_organisation(organisation: Organisation, *, name: str, context: dict) -> None:
    send_to_organisation(
        organisation=organisation,
        category=MessageCategory.VALIDATION,
        name=name,
        context=context,
    )


def email_validation_submitted(organisation: Organisation, **context) -> None:
    _to_organisation(organisation, name="validation-submitted", context=context)


def email_validation_more_information(organisation: Organisation, **context) -> None:
    _to_organisation(organisation, name="validation-more-information", context=context)


def email_validation_approved(organisation: Organisation, **context) -> None:
    _to_organisation(organisation, name="validation-approved", context=context)


def email_validation_denied(organisation: Organisation, **context) -> None:
    _to_organisation(organisation, name="validation-denied", context=context)


def email_validation_suspended(organisation: Organisation, **context) -> None:
    _to_organisation(organisation, name="validation-suspended", context=context)


def email_validation_revoked(organisation: Organisation, **context) -> None:
    _to_organisation(organisation, name="validation-revoked", context=context)


# The message an organisation gets when its status becomes the key (validation.status).
STATUS_EMAILS = {
    Status.SUBMITTED: email_validation_submitted,
    Status.MORE_INFORMATION: email_validation_more_information,
    Status.APPROVED: email_validation_approved,
    Status.DENIED: email_validation_denied,
    Status.SUSPENDED: email_validation_suspended,
    Status.REVOKED: email_validation_revoked,
}


def email_attestation_reminder(deadline, *, days_left: int) -> None:
    """R-VAL-6: 30 and 7 days before the attestation is due."""
    _to_organisation(
        deadline.organisation,
        name="validation-attestation-reminder",
        context={"deadline": deadline, "days_left": days_left},
    )


def email_overdue_digest(person, *, applications, today) -> None:
    """R-VAL-4: to one validation staff member, the applications near or past the deadline."""
    send_email_to_user(
        person,
        name="validation-overdue-digest",
        context={
            "applications": [
                {
                    "name": application.legal_name,
                    "handle": application.organisation.handle,
                    "due_on": application.due_on,
                    "overdue": application.due_on < today,
                    "days_waiting": application.business_days_waiting(today=today),
                    "pk": application.pk,
                }
                for application in applications
            ],
            "today": today,
        },
    )
