"""Every write of the accounts app: organisations, contacts, sub-accounts and invitations.

Each service is one transaction, checks the rules that span rows, records the audit event and
sends its mail from inside the transaction (delivered after commit). Import them from here:
`from accounts.services import organisation_create`.
"""

from accounts.services.contacts import (
    CONTACT_DETAIL_FIELDS,
    contact_create,
    contact_email_category_stop,
    contact_follow_user_email,
    contact_remove,
    contact_update,
)
from accounts.services.hand_overs import (
    hand_over_cancel,
    hand_over_confirm,
    hand_over_for_token,
    hand_over_force,
    hand_over_start,
)
from accounts.services.invitations import (
    invitation_accept,
    invitation_cancel,
    invitation_for_token,
    invitation_send,
)
from accounts.services.join_requests import (
    join_request_accept,
    join_request_cancel,
    join_request_create,
    join_request_decline,
)
from accounts.services.organisations import (
    main_contact_ensure,
    organisation_billing_update,
    organisation_create,
)
from accounts.services.sub_accounts import contact_save, sub_account_update

__all__ = [
    "CONTACT_DETAIL_FIELDS",
    "contact_create",
    "contact_email_category_stop",
    "contact_follow_user_email",
    "contact_remove",
    "contact_save",
    "contact_update",
    "hand_over_cancel",
    "hand_over_confirm",
    "hand_over_for_token",
    "hand_over_force",
    "hand_over_start",
    "invitation_accept",
    "invitation_cancel",
    "invitation_for_token",
    "invitation_send",
    "join_request_accept",
    "join_request_cancel",
    "join_request_create",
    "join_request_decline",
    "main_contact_ensure",
    "organisation_billing_update",
    "organisation_create",
    "sub_account_update",
]
