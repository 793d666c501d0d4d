"""Staying eligible (R-VAL-6): the yearly attestation, and editing the organisation's details
(a change that matters sends it back to review)."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from clearinghouse.audit import record_event_about
from validation.errors import AttestationMissing, TransitionNotAllowed
from validation.models import Application, Attestation
from validation.selectors import attestation_contacts
from validation.services.common import (
    DETAIL_FIELDS,
    REVIEWED_FIELDS,
    _attest,
    _check_statements,
    _open_application,
    _start_attestation_year,
)
from validation.status import organisation_move


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
        if not locked.is_validated:
            raise TransitionNotAllowed(_("Only an approved or suspended organisation can attest."))
        attestation = _attest(organisation=locked, user=user, statements=statements)
        attestation.contacts_confirmed = {
            role: {"name": contact.full_name, "email": contact.email}
            for role, contact in attestation_contacts(organisation=locked).items()
        }
        attestation.save(update_fields=["contacts_confirmed"])
        deadline = _start_attestation_year(organisation=locked)
        record_event_about(
            locked,
            verb="validation.attested",
            actor=user,
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
        record_event_about(
            locked, verb="validation.details_changed", actor=user, data={"changes": changes}
        )
        reviewed = {name: change for name, change in changes.items() if name in REVIEWED_FIELDS}
        sent_to_review = bool(reviewed) and locked.is_validated
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
