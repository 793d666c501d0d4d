"""Staff decide in Django admin (R-VAL-3, R-VAL-4, R-VAL-8, R-VAL-10): ask for information,
approve, deny, revoke, reinstate."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from clearinghouse.audit import record_event_about
from validation.business_days import business_days_between
from validation.duplicates import organisation_duplicates
from validation.errors import ReasonRequired, TransitionNotAllowed
from validation.models import Application, ApplicationMessage, AttestationDeadline
from validation.services.common import _lock_application, _refresh, _start_attestation_year
from validation.status import organisation_move


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
        record_event_about(
            locked, verb="validation.information_requested", actor=actor, data={"message": message}
        )
        organisation_move(
            organisation=locked.organisation,
            to_status=Organisation.Status.MORE_INFORMATION,
            actor=actor,
            reason=message,
        )
    return _refresh(application, locked)


def _approved_or_suspended(organisation: Organisation) -> str:
    """The status an organisation returns to when staff approve it without a new attestation
    (changed details reviewed, a reinstatement): suspended while its yearly attestation has
    lapsed, so that it still has to attest (R-VAL-6), else approved."""
    deadline = AttestationDeadline.objects.filter(organisation=organisation).first()
    if deadline is None or (deadline.lapsed_at is None and deadline.due_on >= timezone.localdate()):
        return Organisation.Status.APPROVED
    if deadline.lapsed_at is None:  # passed while under review: the lapse job skipped it
        deadline.lapsed_at = timezone.now()
        deadline.save(update_fields=["lapsed_at"])
    return Organisation.Status.SUSPENDED


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
        record_event_about(
            locked,
            verb=verb,
            actor=actor,
            data={"reason": reason, **(data or {})},
        )
        organisation_status = status
        if status == Application.Status.DENIED and locked.review_of_revocation_id is not None:
            # A review that upholds a revocation leaves the organisation revoked (R-VAL-10).
            organisation_status = Organisation.Status.REVOKED
        elif status == Application.Status.APPROVED and locked.kind == Application.Kind.RE_REVIEW:
            organisation_status = _approved_or_suspended(locked.organisation)
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
            record_event_about(
                decided,
                verb="validation.approved_as_separate_branch",
                actor=actor,
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


def _lock_in(organisation: Organisation, statuses) -> None:
    """Lock the organisation and refuse unless its status is one of `statuses`: the machine
    also moves a submitted organisation to revoked or approved, but only as the outcome of an
    application, never by a staff revocation or reinstatement (R-VAL-10)."""
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if locked.status not in statuses:
        raise TransitionNotAllowed()


def organisation_revoke(*, organisation: Organisation, actor: User, reason: str) -> Organisation:
    """Staff revoke an approved or suspended organisation's validation (R-VAL-10)."""
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired(_("Write the reason for revoking: the organisation will read it."))
    with transaction.atomic():
        _lock_in(organisation, Organisation.VALIDATED_STATUSES)
        return organisation_move(
            organisation=organisation,
            to_status=Organisation.Status.REVOKED,
            actor=actor,
            reason=reason,
        )


def organisation_reinstate(*, organisation: Organisation, actor: User, reason: str) -> Organisation:
    """Staff reinstate a revoked organisation (R-VAL-10): it is eligible again. Its yearly
    attestation deadline starts again if it had none; if it had lapsed, the organisation is
    suspended until it attests (R-VAL-6)."""
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired(_("Write the reason for reinstating: the organisation will read it."))
    with transaction.atomic():
        _lock_in(organisation, {Organisation.Status.REVOKED})
        organisation_move(
            organisation=organisation,
            to_status=_approved_or_suspended(organisation),
            actor=actor,
            reason=reason,
            data={"reinstated": True},
        )
        if not AttestationDeadline.objects.filter(organisation=organisation).exists():
            _start_attestation_year(organisation=organisation)
    return organisation
