"""The customer account: creating it, its main contact, and the invoice settings of "My details"."""

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.errors import AccountsErrorCode, ContactError
from accounts.handles import unique_handle
from accounts.models import (
    Contact,
    Organisation,
    User,
)
from accounts.one_login import refuse_donor_login
from accounts.peppol import normalise_peppol_id
from clearinghouse.audit import record_event_about


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
    refuse_donor_login(user=account_holder)
    fields = {
        "legal_name": legal_name,
        "country": country,
        "type": type,
        "registration_number": registration_number,
        "address": address,
        "website": website,
        "mission": mission,
        "status": status,
    }
    for _attempt in range(5):
        handle = unique_handle(
            legal_name, taken=lambda h: Organisation.objects.filter(handle__iexact=h).exists()
        )
        try:
            return _organisation_with_handle(handle, account_holder=account_holder, **fields)
        except IntegrityError:
            if not Organisation.objects.filter(handle__iexact=handle).exists():
                raise
    raise RuntimeError("Could not find a free handle; try again.")


@transaction.atomic
def _organisation_with_handle(handle: str, *, account_holder: User, **fields) -> Organisation:
    """One attempt: the organisation under `handle` (an IntegrityError when it was just taken),
    its holder and main contact, and the audit event."""
    organisation = Organisation.objects.create(
        handle=handle, account_holder=account_holder, **fields
    )
    account_holder.organisation = organisation
    account_holder.save(update_fields=["organisation"])
    main_contact_ensure(organisation=organisation)
    record_event_about(
        organisation, verb="organisation.created", actor=account_holder, data={"handle": handle}
    )
    return organisation


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
            main = Contact.of_person(
                holder,
                organisation=organisation,
                is_main=True,
                user=holder,
                **_split_address(organisation.address),
            )
            main.save(force_insert=True)
            return main
    except IntegrityError:  # made at the same moment by another request
        return organisation.contacts.get(is_main=True)


# --- My details -----------------------------------------------------------------------------


BILLING_SETTINGS = (
    "billing_contact",
    "peppol_id",
    "payment_confirmations_to_main_contact_only",
    "invoice_language",
)


def _billing_settings(organisation: Organisation) -> dict:
    """The settings of "My details", as the audit event records them (the contact's id)."""
    return {
        name: getattr(organisation, "billing_contact_id" if name == "billing_contact" else name)
        for name in BILLING_SETTINGS
    }


@transaction.atomic
def organisation_billing_update(
    *,
    organisation: Organisation,
    actor: User,
    billing_contact: Contact | None,
    peppol_id: str,
    payment_confirmations_to_main_contact_only: bool,
    invoice_language: str | None = None,
) -> Organisation:
    """Save "Billing contact", "Peppol ID" and "Send payment confirmations only to the main
    contact" (R-CON-5 … R-CON-7), and the invoice language (None leaves it). No billing
    contact, or the main contact, means the main contact is on the invoice."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if billing_contact is not None and billing_contact.organisation_id != organisation.pk:
        raise ContactError(
            _("Choose one of your organisation's contacts."),
            code=AccountsErrorCode.BILLING_CONTACT_NOT_OURS,
            field="billing_contact",
        )
    if billing_contact is not None and billing_contact.is_main:
        billing_contact = None
    try:
        peppol_id = normalise_peppol_id(peppol_id)
    except ValidationError as error:
        raise ContactError(
            " ".join(error.messages), code=AccountsErrorCode.INVALID_PEPPOL_ID, field="peppol_id"
        ) from error
    before = _billing_settings(organisation)
    organisation.billing_contact = billing_contact
    organisation.peppol_id = peppol_id
    organisation.payment_confirmations_to_main_contact_only = (
        payment_confirmations_to_main_contact_only
    )
    if invoice_language is not None:
        organisation.invoice_language = invoice_language
    organisation.save(update_fields=list(BILLING_SETTINGS))
    after = _billing_settings(organisation)
    if after != before:
        record_event_about(
            organisation,
            verb="organisation.billing_details_changed",
            actor=actor,
            data={"before": before, "after": after},
        )
    return organisation
