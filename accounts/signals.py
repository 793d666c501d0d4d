"""The portal's one cross-app signal, for side effects (never for the main workflow).

Validation decides an organisation's status, and approval codes and orders react to it; a
signal keeps validation from importing them. Everything else calls the other app's services.
"""

from django.dispatch import Signal

# Sent by `validation.status.organisation_move` (the only sender), inside its transaction, when
# an organisation's eligibility flips (approved ↔ anything else, R-VAL-9). Arguments:
# organisation, eligible (bool), actor. Listeners: approval_codes.webhooks.connect_receivers
# (the donors' `organisation.eligibility_changed` webhook) and orders.apps (R-VAL-10: submitted
# orders on hold while not eligible).
organisation_eligibility_changed = Signal()
