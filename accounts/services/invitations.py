"""Invitations: a one-time link, valid 7 days, with which a sub-account chooses its password."""

import hashlib
import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.emails import email_contact_invitation
from accounts.errors import AccountsErrorCode, InvitationError
from accounts.models import (
    Contact,
    ContactInvitation,
    User,
)
from accounts.one_login import refuse_donor_login
from accounts.services.contacts import _check_password, _require_account_holder
from clearinghouse.audit import record_event_about

# --- Invitations ----------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _has_pending_invitation(contact: Contact) -> bool:
    return contact.invitations.filter(
        accepted_at__isnull=True, cancelled_at__isnull=True, expires_at__gt=timezone.now()
    ).exists()


def _cancel_open_invitations(contact: Contact) -> int:
    return contact.invitations.filter(accepted_at__isnull=True, cancelled_at__isnull=True).update(
        cancelled_at=timezone.now()
    )


@transaction.atomic
def invitation_send(*, contact: Contact, actor: User) -> ContactInvitation:
    """Email the contact a one-time link, valid 7 days, to choose its own password. Sending
    again (resend) makes a new link and the old one stops working."""
    _require_account_holder(actor, contact.organisation)
    if not contact.sub_account_active or contact.user_id is None:
        raise InvitationError(
            _("Activate the sub-account before inviting the contact."),
            code=AccountsErrorCode.SUB_ACCOUNT_NOT_ACTIVE,
        )
    refuse_donor_login(user=contact.user, error=InvitationError)
    _cancel_open_invitations(contact)
    token = secrets.token_urlsafe(32)
    invitation = ContactInvitation.objects.create(
        contact=contact,
        token_hash=_token_hash(token),
        sent_by=actor,
        expires_at=timezone.now() + timedelta(days=ContactInvitation.VALID_FOR_DAYS),
    )
    email_contact_invitation(
        invitation=invitation, token=token, invited_by=actor.get_full_name() or actor.email
    )
    record_event_about(
        contact,
        verb="contact.invitation_sent",
        actor=actor,
        data={"email": contact.email, "expires_at": invitation.expires_at.isoformat()},
    )
    return invitation


@transaction.atomic
def invitation_cancel(*, contact: Contact, actor: User) -> None:
    _require_account_holder(actor, contact.organisation)
    if not _cancel_open_invitations(contact):
        raise InvitationError(
            _("There is no pending invitation to cancel."),
            code=AccountsErrorCode.NO_PENDING_INVITATION,
        )
    record_event_about(
        contact, verb="contact.invitation_cancelled", actor=actor, data={"email": contact.email}
    )


def invitation_for_token(token: str) -> ContactInvitation | None:
    """The pending invitation the link is for, or None if unknown, used, cancelled or expired."""
    invitation = (
        ContactInvitation.objects.select_related("contact__user", "contact__organisation")
        .filter(token_hash=_token_hash(token))
        .first()
    )
    if invitation is None or not invitation.is_pending(timezone.now()):
        return None
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, password: str) -> User:
    """Set the invited sub-account's password; the link then stops working."""
    invitation = invitation_for_token(token)
    if invitation is not None:
        invitation = ContactInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation is None or not invitation.is_pending(timezone.now()):
        raise InvitationError(
            _(
                "This invitation link is no longer valid. Ask your account holder to send "
                "a new one."
            ),
            code=AccountsErrorCode.INVITATION_NOT_VALID,
        )
    contact = invitation.contact
    user = contact.user
    if user is None or not contact.sub_account_active:
        raise InvitationError(
            _("This sub-account has been switched off. Ask your account holder."),
            code=AccountsErrorCode.SUB_ACCOUNT_NOT_ACTIVE,
        )
    refuse_donor_login(user=user, error=InvitationError)
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    record_event_about(
        contact, verb="contact.invitation_accepted", actor=user, data={"email": user.email}
    )
    return user
