"""The audit trail: one function records an event inside the caller's transaction."""

from django.contrib.contenttypes.models import ContentType

from clearinghouse.models import AuditEvent


def record_event(*, actor, verb, target, organisation=None, data=None) -> AuditEvent:
    """Record that `actor` did `verb` to `target`. `actor` is a user, or None for the system.

    Call it inside the transaction that makes the change, so both land or neither does.
    """
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=user,
        actor_label=str(user) if user else (actor if isinstance(actor, str) else "system"),
        verb=verb,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        organisation=organisation,
        data=data or {},
    )


def events_for(target):
    return AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=target.pk
    ).select_related("actor")


def record_event_about(target, *, verb: str, actor, data=None) -> AuditEvent:
    """`record_event` in the trail of the target's own organisation: the target itself when it
    is an organisation, else its `organisation` (None: no organisation's trail)."""
    organisation = target if target._meta.label == "accounts.Organisation" else target.organisation
    return record_event(actor=actor, verb=verb, target=target, organisation=organisation, data=data)
