"""Contacts of an organisation: adding, editing, removing, and the checks sub-accounts share."""

from allauth.account.models import EmailAddress
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.errors import AccountsErrorCode, ContactError
from accounts.models import (
    Contact,
    MessageCategory,
    Organisation,
    User,
    email_setting_field,
)
from accounts.one_login import refuse_donor_login
from accounts.services.organisations import main_contact_ensure
from clearinghouse.audit import record_event_about

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


# --- Contacts -------------------------------------------------------------------------------


def _check_contact_email(*, organisation: Organisation, email: str, contact: Contact | None):
    others = organisation.contacts.filter(email__iexact=email)
    if contact is not None:
        others = others.exclude(pk=contact.pk)
    is_holders = email.lower() == organisation.account_holder.email.lower()
    if others.exists() or (is_holders and not (contact and contact.is_main)):
        raise ContactError(
            _("Another contact of your organisation already has this email address."),
            code=AccountsErrorCode.CONTACT_EMAIL_TAKEN,
            field="email",
        )


def _check_email_free_for_sub_account(*, email: str, contact: Contact):
    """R-CON-9: the address may not sign in to any other customer account, nor be a
    sub-account of another account (compared case-insensitively); and a donor partner's
    person's login never becomes an organisation's (`one_login`)."""
    refuse_donor_login(email=email, error=ContactError, field="email")
    taken = (
        User.objects.filter(email__iexact=email).exclude(pk=contact.user_id).exists()  # type: ignore[misc]
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
            code=AccountsErrorCode.EMAIL_TAKEN_ELSEWHERE,
            field="email",
        )


def _check_not_a_contact_elsewhere(
    *, email: str, organisation: Organisation, error=ContactError, field: str | None = "email"
) -> None:
    """R-CON-9: an address that is a contact of another customer account (any case) does not
    become a sub-account here; refused with `error`."""
    if Contact.objects.filter(email__iexact=email).exclude(organisation=organisation).exists():
        raise error(
            _(
                "This person's email address is a contact of another customer account, so it "
                "cannot become a sub-account here."
            ),
            code=AccountsErrorCode.EMAIL_TAKEN_ELSEWHERE,
            field=field,
        )


def _refuse_sign_in_address_move():
    """R-CON-11: a sign-in address changes only on its owner's email page, confirmed from the
    new address; nobody's edit of the contact moves it (the account holder's, staff's neither)."""
    raise ContactError(
        _(
            "This email address is a sign-in. Only its owner can change it, on their own "
            "email page."
        ),
        code=AccountsErrorCode.SIGN_IN_ADDRESS_NOT_EDITABLE,
        field="email",
    )


def contact_staff_edit_check(*, contact: Contact, email: str, user: User | None) -> None:
    """What staff may not do to a contact in Django admin, which edits the row directly: move a
    sign-in's address (R-CON-11), or link a login to it (R-CON-9). A login is linked only by
    activating the sub-account, which makes it with the contact's address once that is free,
    or by the person's own acceptance of a join request; any other login signs in elsewhere."""
    if contact.user_id is not None and email.strip().lower() != contact.email.lower():
        _refuse_sign_in_address_move()
    if user is not None and user.pk != contact.user_id:
        raise ContactError(
            _("This email address already signs in to another customer account."),
            code=AccountsErrorCode.EMAIL_TAKEN_ELSEWHERE,
            field="user",
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
    record_event_about(
        contact,
        verb="contact.created",
        actor=actor,
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
    if "email" in changes and contact.user_id is not None:
        _refuse_sign_in_address_move()
    if "email" in changes:
        _check_contact_email(
            organisation=contact.organisation, email=changes["email"], contact=contact
        )
    for field, value in changes.items():
        setattr(contact, field, value)
    before = contact.email_categories
    if email_categories is not None and not contact.is_main:
        _set_email_categories(contact, email_categories)
    contact.save()
    if contact.user is not None:
        _user_follow_contact(contact.user, changes)
    if changes or before != contact.email_categories:
        record_event_about(
            contact,
            verb="contact.updated",
            actor=actor,
            data={
                "changed": sorted(changes),
                "email_categories": sorted(contact.email_categories),
            },
        )
    return contact


def _user_follow_contact(user: User, changes: dict) -> None:
    """The sign-in of a sub-account (or the main contact) keeps the contact's name and
    language. Never its email address (R-CON-11): that moves only the other way, from the
    person's own email page (`contact_follow_user_email`)."""
    fields = [name for name in ("first_name", "last_name", "language") if name in changes]
    if not fields:
        return
    for name in fields:
        setattr(user, name, changes[name])
    user.save(update_fields=fields)


@transaction.atomic
def contact_follow_user_email(*, user: User, email: str) -> Contact | None:
    """A person who changed their sign-in email (allauth's email page) keeps their contact row
    in step, so mail and invoices go to the new address. Returns the contact, if any."""
    contact = Contact.objects.select_for_update().filter(user=user).first()
    if contact is None or contact.email.lower() == email.lower():
        return contact
    clash = (
        Contact.objects.filter(organisation=contact.organisation, email__iexact=email)
        .exclude(pk=contact.pk)
        .exists()
    )
    if clash:  # another contact of the organisation has it; the account holder sorts it out
        return contact
    previous, contact.email = contact.email, email
    contact.save(update_fields=["email", "updated_at"])
    record_event_about(
        contact, verb="contact.updated", actor=user, data={"email": {"from": previous, "to": email}}
    )
    return contact


@transaction.atomic
def contact_remove(*, contact: Contact, actor: User) -> None:
    """Remove a contact. The main contact cannot be removed (R-CON-1); a sub-account only by
    the account holder. A sub-account's sign-in is switched off and leaves the organisation."""
    if contact.is_main:
        raise ContactError(
            _("The main contact cannot be removed: it is the account holder."),
            code=AccountsErrorCode.MAIN_CONTACT_NOT_REMOVABLE,
        )
    if contact.user_id is not None and not actor.is_account_holder:
        raise ContactError(
            _("Only the account holder can remove a contact that has a sub-account."),
            code=AccountsErrorCode.HOLDER_ONLY,
        )
    user = contact.user
    if user is not None:
        user.is_active = False
        user.organisation = None
        user.save(update_fields=["is_active", "organisation"])
    record_event_about(
        contact,
        verb="contact.removed",
        actor=actor,
        data={
            "email": contact.email,
            "name": contact.full_name,
            "had_sub_account": user is not None,
            "rights": sorted(contact.rights),
        },
    )
    contact.delete()


# --- Shared with sub-accounts and invitations -------------------------------------------


def _require_account_holder(actor: User, organisation: Organisation) -> None:
    if actor.organisation_id != organisation.pk or not actor.is_account_holder:
        raise ContactError(
            _("Only the account holder can manage sub-accounts and their rights."),
            code=AccountsErrorCode.HOLDER_ONLY,
        )


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ContactError(
            " ".join(error.messages), code=AccountsErrorCode.WEAK_PASSWORD, field="password"
        ) from error


# --- Email settings from a mail's footer ----------------------------------------------------


@transaction.atomic
def contact_email_category_stop(*, contact: Contact, category: str) -> Contact:
    """Stop one category of mail for a contact, from the link in a mail's footer."""
    category = MessageCategory(category).value
    if contact.is_main:
        raise ContactError(
            _("The main contact receives every message of the account."),
            code=AccountsErrorCode.MAIN_CONTACT_RECEIVES_EVERYTHING,
        )
    Contact.objects.filter(pk=contact.pk).update(**{email_setting_field(category): False})
    contact.refresh_from_db()
    record_event_about(
        contact,
        verb="contact.email_category_stopped",
        actor="email footer link",
        data={"category": category},
    )
    return contact
