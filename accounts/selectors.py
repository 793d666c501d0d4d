"""Reads scoped to the signed-in user's organisation (DESIGN.md §4: one tenant at a time).

Every view that shows tenant data goes through `scoped_to_user` or `get_for_user_or_404`, so
another organisation's object is a 404, never a 403 that confirms it exists.
"""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import (
    Contact,
    ContactInvitation,
    HandOver,
    JoinRequest,
    MessageCategory,
    Organisation,
    User,
    email_setting_field,
)


def organisation_for_user(user) -> Organisation | None:
    if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
        return None
    return user.organisation


def scoped_to_user(queryset: QuerySet, user, *, field: str = "organisation") -> QuerySet:
    """Only the rows of `user`'s organisation; nothing at all for a user without one."""
    organisation_id = getattr(user, "organisation_id", None)
    if organisation_id is None:
        return queryset.none()
    return queryset.filter(**{f"{field}_id": organisation_id})


def get_for_user_or_404(queryset: QuerySet, *, user, field: str = "organisation", **lookup):
    try:
        return scoped_to_user(queryset, user, field=field).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error


@dataclass(frozen=True)
class Recipient:
    email: str
    language: str
    contact_id: int | None = None  # None for the main contact, who cannot opt out


def main_contact_of(organisation: Organisation) -> Contact | None:
    return organisation.contacts.filter(is_main=True).first()


def recipients_of(*, organisation: Organisation, category: str) -> list[Recipient]:
    """Who receives `organisation`'s messages of `category`, one entry per address.

    The main contact (the account holder) always does (R-CON-1); an extra contact only when its
    email settings include the category (R-CON-3, R-CON-4). Each in their own language: a
    sub-account's language is the one it chose on the site.
    """
    if category not in MessageCategory.values:
        raise ValueError(f"Unknown message category {category!r}.")
    holder: User = organisation.account_holder
    recipients = [Recipient(holder.email, holder.language)]
    seen = {holder.email.lower()}
    contacts = (
        organisation.contacts.filter(is_main=False, **{email_setting_field(category): True})
        .select_related("user")
        .order_by("pk")
    )
    for contact in contacts:
        if contact.email.lower() in seen:
            continue
        seen.add(contact.email.lower())
        language = contact.user.language if contact.user else contact.language
        recipients.append(Recipient(contact.email, language, contact.pk))
    return recipients


def organisation_recipients(*, organisation: Organisation, category: str) -> list[tuple[str, str]]:
    """Who receives an organisation's message of `category`: (email, language) pairs.

    Every message the portal sends to an organisation is addressed through this function.
    """
    return [
        (recipient.email, recipient.language)
        for recipient in recipients_of(organisation=organisation, category=category)
    ]


def payment_confirmation_recipients(*, organisation: Organisation) -> list[tuple[str, str]]:
    """Who receives a payment confirmation (R-CON-7): only the main contact when the
    organisation says so on "My details", otherwise everyone who receives invoices."""
    if organisation.payment_confirmations_to_main_contact_only:
        holder = organisation.account_holder
        return [(holder.email, holder.language)]
    return organisation_recipients(organisation=organisation, category=MessageCategory.INVOICES)


@dataclass(frozen=True)
class InvoiceAddressee:
    """Whose details go on an invoice; copied onto the invoice when it is issued."""

    name: str
    email: str
    organisation_name: str
    address: str
    country: str
    phone: str = ""
    peppol_id: str = ""


def invoice_addressee(*, organisation: Organisation) -> InvoiceAddressee:
    """The billing contact, or the main contact when a Peppol ID is set (R-CON-5, R-CON-6).

    Without a billing contact the main contact is the addressee.
    """
    billing = organisation.billing_contact
    if (
        organisation.peppol_id
        or billing is None
        or billing.is_main
        or billing.organisation_id != organisation.pk
    ):
        return _main_contact_addressee(organisation, main_contact_of(organisation))
    return InvoiceAddressee(
        name=billing.full_name,
        email=billing.email,
        organisation_name=billing.organisation_name or organisation.legal_name,
        **_postal_address(organisation, billing),
        phone=billing.phone,
        peppol_id=organisation.peppol_id,
    )


def _postal_address(organisation: Organisation, contact: Contact | None) -> dict:
    """The contact's own address once filled in, else the organisation's registered address:
    an invoice always has somewhere to go (a contact that joined by request has none)."""
    if contact is None or not contact.address_1:
        return {"address": organisation.address, "country": str(organisation.country)}
    return {
        "address": contact.postal_address,
        "country": str(contact.country or organisation.country),
    }


def _main_contact_addressee(organisation: Organisation, main: Contact | None) -> InvoiceAddressee:
    """The account holder, at the main contact's address (`_postal_address`)."""
    holder = organisation.account_holder
    return InvoiceAddressee(
        name=(main.full_name if main else "") or holder.get_full_name() or holder.email,
        email=holder.email,
        organisation_name=(main.organisation_name if main else "") or organisation.legal_name,
        **_postal_address(organisation, main),
        phone=main.phone if main else "",
        peppol_id=organisation.peppol_id,
    )


def contacts_for_organisation(organisation: Organisation):
    """The contacts list: the main contact first, then the others by name."""
    return organisation.contacts.select_related("user").order_by(
        "-is_main", "last_name", "first_name", "pk"
    )


def open_invitation_of(contact: Contact) -> ContactInvitation | None:
    """The invitation neither accepted nor cancelled, pending or expired (to resend it)."""
    return (
        contact.invitations.filter(accepted_at__isnull=True, cancelled_at__isnull=True)
        .order_by("-created_at")
        .first()
    )


# --- Join requests (R-VAL-11) -----------------------------------------------------------------


def join_request_managers(*, organisation: Organisation) -> list[User]:
    """Who answers join requests: the account holder and the active sub-accounts with "Manage
    contacts"."""
    managers = [organisation.account_holder]
    managers += [
        contact.user  # type: ignore[misc]  # user__is_active=True: never None
        for contact in organisation.contacts.filter(
            is_main=False,
            sub_account_active=True,
            right_manage_contacts=True,
            user__is_active=True,
        ).select_related("user")
    ]
    return [user for user in managers if user.is_active]


def join_requests_open_for(*, organisation: Organisation) -> QuerySet:
    return (
        JoinRequest.objects.open(timezone.now())
        .filter(organisation=organisation)
        .select_related("requester")
        .order_by("created_at", "pk")
    )


def join_request_get_for_user(*, user, pk):
    """An open join request to the user's organisation; 404 for any other."""
    return get_for_user_or_404(
        JoinRequest.objects.open(timezone.now()).select_related("requester"), user=user, pk=pk
    )


def join_request_open_of(*, user):
    """The person's own request that is still waiting, if any."""
    return JoinRequest.objects.open(timezone.now()).filter(requester=user).first()


def open_hand_over_of(*, organisation: Organisation):
    """The organisation's hand-over waiting for the new holder's confirmation, if any."""
    return (
        HandOver.objects.filter(
            organisation=organisation,
            confirmed_at__isnull=True,
            cancelled_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .select_related("to_contact")
        .first()
    )
