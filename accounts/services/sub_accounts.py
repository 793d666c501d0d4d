"""Sub-accounts: activation, rights and password (R-CON-8 … R-CON-10), and the contact form's
save, which changes a contact and its sub-account together."""

from collections.abc import Mapping

from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.errors import AccountsErrorCode, ContactError
from accounts.models import Contact, Organisation, User
from accounts.permissions import rights_not_grantable_by
from accounts.services.contacts import (
    _check_email_free_for_sub_account,
    _check_not_a_contact_elsewhere,
    _check_password,
    _require_account_holder,
    contact_create,
    contact_update,
)
from accounts.services.invitations import (
    _cancel_open_invitations,
    _has_pending_invitation,
    invitation_send,
)
from accounts.services.rights import rights_set, rights_together_check, rights_values
from clearinghouse.audit import record_event_about


@transaction.atomic
def sub_account_update(
    *,
    contact: Contact,
    actor: User,
    active: bool,
    rights=(),
    password: str = "",
    invite: bool = False,
) -> Contact:
    """Switch a contact's sub-account on or off, set its rights, and give it a password or send
    it an invitation to choose one (R-CON-8 … R-CON-10). Only the account holder may.

    Deactivating switches the sign-in off at once; the rights stay ticked for a later
    reactivation but grant nothing while it is off.
    """
    contact = (
        Contact.objects.select_for_update(of=("self",)).select_related("user").get(pk=contact.pk)
    )
    _require_account_holder(actor, contact.organisation)
    rights = _sub_account_rights_check(contact=contact, actor=actor, rights=rights)
    before_rights, was_active = contact.rights, contact.sub_account_active
    rights_set(contact, rights)
    if active:
        contact.user = _sign_in_activate(contact, password=password, invite=invite)
    elif contact.user is not None:
        contact.user.is_active = False
        contact.user.save(update_fields=["is_active"])
        _cancel_open_invitations(contact)
    contact.sub_account_active = active
    contact.save()
    sub_account_changes_record(
        contact=contact,
        actor=actor,
        was_active=was_active,
        before_rights=before_rights,
        password_set=active and bool(password),
    )
    if active and invite:
        invitation_send(contact=contact, actor=actor)
    return contact


def _sub_account_rights_check(*, contact: Contact, actor: User, rights) -> set[str]:
    """The rights to tick, as values; refused for the main contact, for rights the actor does
    not hold (R-CON-11) and for rights that need one another."""
    if contact.is_main:
        raise ContactError(
            _("The main contact is the account holder and has every right."),
            code=AccountsErrorCode.MAIN_CONTACT_HAS_EVERY_RIGHT,
        )
    rights = rights_values(rights)
    if rights_not_grantable_by(actor, rights - contact.rights):  # R-CON-11
        raise ContactError(
            _("You can give others only rights you hold yourself."),
            code=AccountsErrorCode.RIGHT_NOT_GRANTABLE,
            field="rights",
        )
    rights_together_check(rights, error=ContactError, field="rights")
    return rights


def _sign_in_activate(contact: Contact, *, password: str, invite: bool) -> User:
    """The contact's sign-in, made or switched on, with the password if one is given (R-CON-9:
    the address may not sign in anywhere else). Without a password there must be one already,
    an invitation waiting, or one to send."""
    organisation = contact.organisation
    _check_email_free_for_sub_account(email=contact.email, contact=contact)
    user = contact.user
    if user is None:  # asked as the sign-in is made: a contact added elsewhere later locks nothing
        _check_not_a_contact_elsewhere(email=contact.email, organisation=organisation)
        user = User(
            email=contact.email,
            first_name=contact.first_name,
            last_name=contact.last_name,
            language=contact.language,
            organisation=organisation,
        )
        user.set_unusable_password()
    user.first_name, user.last_name = contact.first_name, contact.last_name
    user.organisation, user.is_active = organisation, True
    if password:
        _check_password(password, user)
        user.set_password(password)
    elif not invite and not user.has_usable_password() and not _has_pending_invitation(contact):
        raise ContactError(
            _("Set a password for the sub-account, or send an invitation instead."),
            code=AccountsErrorCode.PASSWORD_OR_INVITATION_NEEDED,
            field="password",
        )
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:  # R-CON-9 at the database: taken at the same moment
        raise ContactError(
            _("This email address already signs in to another customer account."),
            code=AccountsErrorCode.EMAIL_TAKEN_ELSEWHERE,
            field="email",
        ) from error
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


def sub_account_changes_record(
    *, contact: Contact, actor: User, was_active: bool, before_rights, password_set: bool
) -> None:
    """The audit events of what changed: switched on or off, rights, password."""
    active = contact.sub_account_active
    if active != was_active:
        record_event_about(
            contact,
            verb="contact.sub_account_activated" if active else "contact.sub_account_deactivated",
            actor=actor,
            data={"email": contact.email, "rights": sorted(contact.rights)},
        )
    if contact.rights != before_rights:
        record_event_about(
            contact,
            verb="contact.rights_changed",
            actor=actor,
            data={
                "email": contact.email,
                "before": sorted(before_rights),
                "after": sorted(contact.rights),
                "granted": sorted(contact.rights - before_rights),
                "removed": sorted(before_rights - contact.rights),
            },
        )
    if password_set:
        record_event_about(contact, verb="contact.password_set", actor=actor)


@transaction.atomic
def contact_save(
    *,
    organisation: Organisation,
    actor: User,
    contact: Contact | None,
    details: Mapping[str, str],
    email_categories,
    sub_account: Mapping | None = None,
) -> Contact:
    """The contact form's save, in one transaction: add the contact (`contact` None) or change
    it, then, when the account holder filled in the sub-account part (`sub_account`: `active`,
    `rights`, `password`, `invite`), its sub-account. A refused sub-account leaves the contact
    unchanged too. `email_categories` None leaves an existing contact's settings."""
    if contact is None:
        contact = contact_create(
            organisation=organisation,
            actor=actor,
            email_categories=email_categories or (),
            **details,
        )
    else:
        contact = contact_update(
            contact=contact, actor=actor, email_categories=email_categories, **details
        )
    if sub_account is not None and (sub_account["active"] or contact.user_id is not None):
        sub_account_update(contact=contact, actor=actor, **sub_account)
    return contact
