"""Which decision a denied or revoked organisation may still ask staff to review (R-VAL-10):
the latest denial or revocation, once, and never the outcome of a review itself."""

from dataclasses import dataclass

from accounts.models import Organisation
from clearinghouse.audit import events_for
from clearinghouse.models import AuditEvent
from validation.models import Application


@dataclass(frozen=True)
class Decision:
    kind: str  # "denial" or "revocation"
    application: Application | None = None
    revocation: AuditEvent | None = None

    @property
    def pk(self) -> int:
        return (self.application or self.revocation).pk

    @property
    def reason(self) -> str:
        if self.application is not None:
            return self.application.decision_reason
        return self.revocation.data.get("reason", "")


def latest_decision(*, organisation: Organisation) -> Decision | None:
    """The decision behind the organisation's denied or revoked status, if it has one."""
    if organisation.status == Organisation.Status.DENIED:
        application = (
            organisation.applications.filter(status=Application.Status.DENIED)
            .order_by("-decided_at", "-id")
            .first()
        )
        return Decision(kind="denial", application=application) if application else None
    if organisation.status == Organisation.Status.REVOKED:
        event = (
            events_for(organisation)
            .filter(verb="validation.status_changed", data__to=Organisation.Status.REVOKED)
            .order_by("-created_at", "-id")
            .first()
        )
        return Decision(kind="revocation", revocation=event) if event else None
    return None


def reviewable_decision(*, organisation: Organisation) -> Decision | None:
    """The latest decision if it may still be reviewed: not already under or after review,
    and not itself the outcome of a review (that outcome is final)."""
    decision = latest_decision(organisation=organisation)
    if decision is None:
        return None
    if decision.application is not None:
        application = decision.application
        if application.kind == Application.Kind.DECISION_REVIEW:
            return None
        if Application.objects.filter(review_of=application).exists():
            return None
    else:
        if "review" in decision.revocation.data:
            return None
        if Application.objects.filter(review_of_revocation=decision.revocation).exists():
            return None
    return decision
