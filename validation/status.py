"""The validation status machine (R-VAL-3, R-VAL-6, R-VAL-10), explicit and in one place.

    submitted → more_information → (answered) submitted → approved | denied
    approved → suspended (attestation lapsed) → approved (attested)
    approved | suspended → revoked (staff)
    approved | suspended → submitted (legal name, country or type changed: review again)
    submitted → suspended (the changed details approved, the yearly attestation lapsed)
    denied → submitted (applies again, or asks for a review of the denial)
    revoked → submitted (asks for a review of the revocation) → approved | revoked
    revoked → approved | suspended (staff reinstate; suspended if the attestation lapsed)

`organisation_move` is the only writer of `Organisation.status`.
"""

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation
from accounts.signals import organisation_eligibility_changed
from clearinghouse.audit import record_event
from validation.emails import STATUS_EMAILS
from validation.errors import TransitionNotAllowed

S = Organisation.Status

ALLOWED_MOVES: dict[str, frozenset[str]] = {
    S.SUBMITTED: frozenset({S.MORE_INFORMATION, S.APPROVED, S.DENIED, S.REVOKED, S.SUSPENDED}),
    S.MORE_INFORMATION: frozenset({S.SUBMITTED}),
    S.APPROVED: frozenset({S.SUSPENDED, S.REVOKED, S.SUBMITTED}),
    S.SUSPENDED: frozenset({S.APPROVED, S.REVOKED, S.SUBMITTED}),
    S.DENIED: frozenset({S.SUBMITTED}),
    S.REVOKED: frozenset({S.SUBMITTED, S.APPROVED, S.SUSPENDED}),
}


def can_move(from_status: str, to_status: str) -> bool:
    return to_status in ALLOWED_MOVES.get(from_status, frozenset())


def organisation_move(
    *, organisation: Organisation, to_status: str, actor, reason: str = "", data: dict | None = None
) -> Organisation:
    """Move `organisation` to `to_status` if the machine allows it; record who, when and why,
    email the organisation, and tell listeners when its eligibility flips (R-VAL-9).

    Locks the organisation row, so two moves of one organisation happen one after the other.
    Raises `TransitionNotAllowed` and changes nothing when the move is not allowed.
    """
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        from_status = locked.status
        if not can_move(from_status, to_status):
            raise TransitionNotAllowed()
        was_eligible = locked.is_eligible
        locked.status = to_status
        locked.status_changed_at = timezone.now()
        locked.save(update_fields=["status", "status_changed_at"])
        organisation.status, organisation.status_changed_at = (
            locked.status,
            locked.status_changed_at,
        )
        record_event(
            actor=actor,
            verb="validation.status_changed",
            target=organisation,
            organisation=organisation,
            data={"from": from_status, "to": to_status, "reason": reason, **(data or {})},
        )
        STATUS_EMAILS[to_status](
            organisation, previous_status=from_status, reason=reason, **(data or {})
        )
        if was_eligible != organisation.is_eligible:
            # The portal's one cross-app signal (accounts/signals.py lists who listens).
            organisation_eligibility_changed.send(
                sender=Organisation,
                organisation=organisation,
                eligible=organisation.is_eligible,
                actor=actor,
            )
    return organisation
