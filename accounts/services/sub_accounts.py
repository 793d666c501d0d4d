"""Sub-accounts: activation, rights and password (R-CON-8 … R-CON-10)."""

from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.errors import AccountsErrorCode, ContactError
from accounts.models import (
    Contact,
    User,
    right_field,
)
from accounts.permissions import Right, missing_required_rights, rights_not_grantable_by
from accounts.services.contacts import (
    _check_email_free_for_sub_account,
    _check_password,
    _require_account_holder,
)
from accounts.services.invitations import (
    _cancel_open_invitations,
    _has_pending_invitation,
    invitation_send,
)
from clearinghouse.audit import record_event


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
    organisation = contact.organisation
    _require_account_holder(actor, organisation)
    if contact.is_main:
        raise ContactError(
            _("The main contact is the account holder and has every right."),
            code=AccountsErrorCode.MAIN_CONTACT_HAS_EVERY_RIGHT,
        )
    rights = {Right(right).value for right in rights}
    if rights_not_grantable_by(actor, rights - contact.rights):  # R-CON-11
        raise ContactError(
            _("You can give others only rights you hold yourself."),
            code=AccountsErrorCode.RIGHT_NOT_GRANTABLE,
            field="rights",
        )
    if missing := missing_required_rights(rights):
        right, needed = next(iter(missing.items()))
        raise ContactError(
            _("“%(right)s” only works together with %(needed)s; tick both or neither.")
            % {
                "right": Right(right).label,
                "needed": ", ".join(f"“{Right(n).label}”" for n in sorted(needed)),
            },
            code=AccountsErrorCode.RIGHTS_NEED_EACH_OTHER,
            field="rights",
        )
    before_rights, was_active = contact.rights, contact.sub_account_active
    for right in Right.values:
        setattr(contact, right_field(right), right in rights)

    user = contact.user
    if active:
        _check_email_free_for_sub_account(email=contact.email, contact=contact)
        if user is None:
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
        contact.user = user
    elif user is not None:
        user.is_active = False
        user.save(update_fields=["is_active"])
        _cancel_open_invitations(contact)
    contact.sub_account_active = active
    contact.save()

    if active != was_active:
        record_event(
            actor=actor,
            verb="contact.sub_account_activated" if active else "contact.sub_account_deactivated",
            target=contact,
            organisation=organisation,
            data={"email": contact.email, "rights": sorted(contact.rights)},
        )
    if contact.rights != before_rights:
        record_event(
            actor=actor,
            verb="contact.rights_changed",
            target=contact,
            organisation=organisation,
            data={
                "email": contact.email,
                "before": sorted(before_rights),
                "after": sorted(contact.rights),
                "granted": sorted(contact.rights - before_rights),
                "removed": sorted(before_rights - contact.rights),
            },
        )
    if active and password:
        record_event(
            actor=actor, verb="contact.password_set", target=contact, organisation=organisation
        )
    if active and invite:
        invitation_send(contact=contact, actor=actor)
    return contact
