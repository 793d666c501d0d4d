"""Every write of the accounts app: organisations, contacts, sub-accounts and invitations.

Each service is one transaction, checks the rules that span rows, records the audit event and
sends its mail from inside the transaction (delivered after commit).
"""

import hashlib
import re
import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import ContactError, InvitationError
from accounts.handles import unique_handle
from accounts.models import (
    Contact,
    ContactInvitation,
    MessageCategory,
    Organisation,
    User,
    email_setting_field,
    right_field,
)
from accounts.peppol import normalise_peppol_id
from accounts.permissions import Right, missing_required_rights
from clearinghouse.audit import record_event
from clearinghouse.mail import send_email

CONTACT_DETAIL_FIELDS = (
    "first_name",
    "last_name",
    "organisation_name",
    "email",
    "address_1",
    "address_2",
    "city",
    "postcode",
    "country",
    "phone",
    "language",
)


def organisation_create(
    *,
    account_holder: User,
    legal_name: str,
    country: str,
    type: str,
    registration_number: str,
    address: str,
    website: str = "",
    mission: str = "",
    status: str = Organisation.Status.SUBMITTED,
) -> Organisation:
    """Create the customer account with `account_holder` as its main contact (R-CON-1).

    The handle is derived from the legal name; a clash gets a numeric suffix, also when two
    organisations of the same name are created at the same moment.
    """
    if account_holder.organisation_id is not None:
        raise ValueError("This user already belongs to an organisation.")
    for _attempt in range(5):
        handle = unique_handle(
            legal_name, taken=lambda h: Organisation.objects.filter(handle__iexact=h).exists()
        )
        try:
            with transaction.atomic():
                organisation = Organisation.objects.create(
                    legal_name=legal_name,
                    handle=handle,
                    country=country,
                    type=type,
                    registration_number=registration_number,
                    address=address,
                    website=website,
                    mission=mission,
                    account_holder=account_holder,
                    status=status,
                )
                account_holder.organisation = organisation
                account_holder.save(update_fields=["organisation"])
                main_contact_ensure(organisation=organisation)
                record_event(
                    actor=account_holder,
                    verb="organisation.created",
                    target=organisation,
                    organisation=organisation,
                    data={"handle": handle},
                )
                return organisation
        except IntegrityError:
            if not Organisation.objects.filter(handle__iexact=handle).exists():
                raise
    raise RuntimeError("Could not find a free handle; try again.")


# --- Main contact ---------------------------------------------------------------------------

_POSTCODE_AND_CITY = re.compile(r"^(?P<postcode>[A-Z]{0,3}-?\d[\d ]*\d|\d+)\s+(?P<city>\D.*)$")


def _split_address(address: str) -> dict:
    """ "Storgatan 1\n111 22 Stockholm" → address_1, postcode and city (best effort)."""
    lines = [line.strip() for line in (address or "").splitlines() if line.strip()]
    fields = {"address_1": lines[0] if lines else "", "address_2": "", "postcode": "", "city": ""}
    rest = lines[1:]
    if rest and (match := _POSTCODE_AND_CITY.match(rest[-1])):
        fields.update(postcode=match["postcode"], city=match["city"])
        rest = rest[:-1]
    fields["address_2"] = ", ".join(rest)[:200]
    return fields


def main_contact_ensure(*, organisation: Organisation) -> Contact:
    """The main contact's row (the account holder's details), made from the account holder and
    the organisation's address the first time it is needed. Safe to call at any time."""
    main = organisation.contacts.filter(is_main=True).first()
    if main is not None:
        return main
    holder = organisation.account_holder
    try:
        with transaction.atomic():
            return Contact.objects.create(
                organisation=organisation,
                is_main=True,
                user=holder,
                first_name=holder.first_name,
                last_name=holder.last_name,
                email=holder.email,
                country=organisation.country,
                language=holder.language,
                **_split_address(organisation.address),
            )
    except IntegrityError:  # made at the same moment by another request
        return organisation.contacts.get(is_main=True)


# --- Contacts -------------------------------------------------------------------------------


def _check_contact_email(*, organisation: Organisation, email: str, contact: Contact | None):
    others = organisation.contacts.filter(email__iexact=email)
    if contact is not None:
        others = others.exclude(pk=contact.pk)
    is_holders = email.lower() == organisation.account_holder.email.lower()
    if others.exists() or (is_holders and not (contact and contact.is_main)):
        raise ContactError(
            _("Another contact of your organisation already has this email address."),
            code="contact_email_taken",
            field="email",
        )


def _check_email_free_for_sub_account(*, email: str, contact: Contact):
    """R-CON-9: the address may not sign in to any other customer account, nor be a
    sub-account of another account (compared case-insensitively)."""
    taken = (
        User.objects.filter(email__iexact=email).exclude(pk=contact.user_id).exists()
        or EmailAddress.objects.filter(email__iexact=email)
        .exclude(user_id=contact.user_id)
        .exists()
    )
    if taken:
        raise ContactError(
            _(
                "This email address already signs in to another customer account or is a "
                "sub-account of another account, so it cannot become a sub-account here. "
                "Use another email address."
            ),
            code="email_taken_elsewhere",
            field="email",
        )


def _set_email_categories(contact: Contact, categories) -> None:
    categories = set(categories)
    for category in MessageCategory.values:
        setattr(contact, email_setting_field(category), category in categories)


@transaction.atomic
def contact_create(
    *, organisation: Organisation, actor: User, email_categories=(), **details
) -> Contact:
    """Add a contact (R-CON-2). It has no rights and receives only the message categories
    chosen here, none by default (R-CON-3)."""
    details = {field: details.get(field, "") for field in CONTACT_DETAIL_FIELDS}
    details["email"] = details["email"].strip()
    main_contact_ensure(organisation=organisation)
    _check_contact_email(organisation=organisation, email=details["email"], contact=None)
    contact = Contact(organisation=organisation, **details)
    _set_email_categories(contact, email_categories)
    contact.save()
    record_event(
        actor=actor,
        verb="contact.created",
        target=contact,
        organisation=organisation,
        data={"email": contact.email, "email_categories": sorted(contact.email_categories)},
    )
    return contact


@transaction.atomic
def contact_update(*, contact: Contact, actor: User, email_categories=None, **details) -> Contact:
    """Change a contact's details and email settings. The main contact's email address is the
    account holder's sign-in and is changed under the account's email settings, not here."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    changes = {}
    for field in CONTACT_DETAIL_FIELDS:
        if field not in details:
            continue
        value = details[field].strip() if field == "email" else details[field]
        if field == "email" and contact.is_main:
            continue
        if str(getattr(contact, field)) != str(value):
            changes[field] = value
    if "email" in changes:
        _check_contact_email(
            organisation=contact.organisation, email=changes["email"], contact=contact
        )
        if contact.user_id is not None:
            _check_email_free_for_sub_account(email=changes["email"], contact=contact)
    for field, value in changes.items():
        setattr(contact, field, value)
    before = contact.email_categories
    if email_categories is not None and not contact.is_main:
        _set_email_categories(contact, email_categories)
    contact.save()
    if "email" in changes and contact.user_id is not None:
        _user_email_change(contact.user, changes["email"])
    if changes or before != contact.email_categories:
        record_event(
            actor=actor,
            verb="contact.updated",
            target=contact,
            organisation=contact.organisation,
            data={
                "changed": sorted(changes),
                "email_categories": sorted(contact.email_categories),
            },
        )
    return contact


def _user_email_change(user: User, email: str) -> None:
    user.email = email
    user.save(update_fields=["email"])
    EmailAddress.objects.filter(user=user).delete()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)


@transaction.atomic
def contact_remove(*, contact: Contact, actor: User) -> None:
    """Remove a contact. The main contact cannot be removed (R-CON-1); a sub-account only by
    the account holder. A sub-account's sign-in is switched off and leaves the organisation."""
    if contact.is_main:
        raise ContactError(
            _("The main contact cannot be removed: it is the account holder."),
            code="main_contact_not_removable",
        )
    if contact.user_id is not None and not actor.is_account_holder:
        raise ContactError(
            _("Only the account holder can remove a contact that has a sub-account."),
            code="holder_only",
        )
    organisation = contact.organisation
    user = contact.user
    if user is not None:
        user.is_active = False
        user.organisation = None
        user.save(update_fields=["is_active", "organisation"])
    record_event(
        actor=actor,
        verb="contact.removed",
        target=contact,
        organisation=organisation,
        data={
            "email": contact.email,
            "name": contact.full_name,
            "had_sub_account": user is not None,
            "rights": sorted(contact.rights),
        },
    )
    contact.delete()


# --- Sub-accounts ---------------------------------------------------------------------------


def _require_account_holder(actor: User, organisation: Organisation) -> None:
    if actor.organisation_id != organisation.pk or not actor.is_account_holder:
        raise ContactError(
            _("Only the account holder can manage sub-accounts and their rights."),
            code="holder_only",
        )


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ContactError(
            " ".join(error.messages), code="weak_password", field="password"
        ) from error


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
    contact = Contact.objects.select_for_update().select_related("user").get(pk=contact.pk)
    organisation = contact.organisation
    _require_account_holder(actor, organisation)
    if contact.is_main:
        raise ContactError(
            _("The main contact is the account holder and has every right."),
            code="main_contact_has_every_right",
        )
    rights = {Right(right).value for right in rights}
    if missing := missing_required_rights(rights):
        right, needed = next(iter(missing.items()))
        raise ContactError(
            _("“%(right)s” only works together with %(needed)s; tick both or neither.")
            % {
                "right": Right(right).label,
                "needed": ", ".join(f"“{Right(n).label}”" for n in sorted(needed)),
            },
            code="rights_need_each_other",
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
                code="password_or_invitation_needed",
                field="password",
            )
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError as error:  # R-CON-9 at the database: taken at the same moment
            raise ContactError(
                _("This email address already signs in to another customer account."),
                code="email_taken_elsewhere",
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
            code="sub_account_not_active",
        )
    _cancel_open_invitations(contact)
    token = secrets.token_urlsafe(32)
    invitation = ContactInvitation.objects.create(
        contact=contact,
        token_hash=_token_hash(token),
        sent_by=actor,
        expires_at=timezone.now() + timedelta(days=ContactInvitation.VALID_FOR_DAYS),
    )
    send_email(
        name="contacts-invitation",
        to=contact.email,
        language=contact.user.language if contact.user_id else contact.language,
        context={
            "contact": contact,
            "organisation": contact.organisation,
            "invited_by": actor.get_full_name() or actor.email,
            "accept_path": reverse("accounts:invitation-accept", args=[token]),
            "expires_at": invitation.expires_at,
            "valid_for_days": ContactInvitation.VALID_FOR_DAYS,
        },
    )
    record_event(
        actor=actor,
        verb="contact.invitation_sent",
        target=contact,
        organisation=contact.organisation,
        data={"email": contact.email, "expires_at": invitation.expires_at.isoformat()},
    )
    return invitation


@transaction.atomic
def invitation_cancel(*, contact: Contact, actor: User) -> None:
    _require_account_holder(actor, contact.organisation)
    if not _cancel_open_invitations(contact):
        raise InvitationError(
            _("There is no pending invitation to cancel."), code="no_pending_invitation"
        )
    record_event(
        actor=actor,
        verb="contact.invitation_cancelled",
        target=contact,
        organisation=contact.organisation,
        data={"email": contact.email},
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
            code="invitation_not_valid",
        )
    contact = invitation.contact
    user = contact.user
    if user is None or not contact.sub_account_active:
        raise InvitationError(
            _("This sub-account has been switched off. Ask your account holder."),
            code="sub_account_not_active",
        )
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    record_event(
        actor=user,
        verb="contact.invitation_accepted",
        target=contact,
        organisation=contact.organisation,
        data={"email": user.email},
    )
    return user


# --- Email settings from a mail's footer ----------------------------------------------------


@transaction.atomic
def contact_email_category_stop(*, contact: Contact, category: str) -> Contact:
    """Stop one category of mail for a contact, from the link in a mail's footer."""
    category = MessageCategory(category).value
    if contact.is_main:
        raise ContactError(
            _("The main contact receives every message of the account."),
            code="main_contact_receives_everything",
        )
    Contact.objects.filter(pk=contact.pk).update(**{email_setting_field(category): False})
    contact.refresh_from_db()
    record_event(
        actor="email footer link",
        verb="contact.email_category_stopped",
        target=contact,
        organisation=contact.organisation,
        data={"category": category},
    )
    return contact


# --- My details -----------------------------------------------------------------------------


@transaction.atomic
def organisation_billing_update(
    *,
    organisation: Organisation,
    actor: User,
    billing_contact: Contact | None,
    peppol_id: str,
    payment_confirmations_to_main_contact_only: bool,
) -> Organisation:
    """Save "Billing contact", "Peppol ID" and "Send payment confirmations only to the main
    contact" (R-CON-5 … R-CON-7). No billing contact, or the main contact, means the main
    contact is on the invoice."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if billing_contact is not None and billing_contact.organisation_id != organisation.pk:
        raise ContactError(
            _("Choose one of your organisation's contacts."),
            code="billing_contact_not_ours",
            field="billing_contact",
        )
    if billing_contact is not None and billing_contact.is_main:
        billing_contact = None
    try:
        peppol_id = normalise_peppol_id(peppol_id)
    except ValidationError as error:
        raise ContactError(
            " ".join(error.messages), code="invalid_peppol_id", field="peppol_id"
        ) from error
    before = {
        "billing_contact": organisation.billing_contact_id,
        "peppol_id": organisation.peppol_id,
        "payment_confirmations_to_main_contact_only": (
            organisation.payment_confirmations_to_main_contact_only
        ),
    }
    organisation.billing_contact = billing_contact
    organisation.peppol_id = peppol_id
    organisation.payment_confirmations_to_main_contact_only = (
        payment_confirmations_to_main_contact_only
    )
    organisation.save(
        update_fields=["billing_contact", "peppol_id", "payment_confirmations_to_main_contact_only"]
    )
    after = {
        "billing_contact": organisation.billing_contact_id,
        "peppol_id": organisation.peppol_id,
        "payment_confirmations_to_main_contact_only": (
            organisation.payment_confirmations_to_main_contact_only
        ),
    }
    if after != before:
        record_event(
            actor=actor,
            verb="organisation.billing_details_changed",
            target=organisation,
            organisation=organisation,
            data={"before": before, "after": after},
        )
    return organisation
