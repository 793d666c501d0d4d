"""Signals other apps may listen to for side effects (never for the main workflow)."""

from django.dispatch import Signal

# Sent by validation's status service, inside its transaction, when an organisation's
# eligibility flips (approved ↔ anything else). Arguments: organisation, eligible (bool), actor.
# approval_codes listens to record the donors' `organisation.eligibility_changed` webhook.
organisation_eligibility_changed = Signal()
