"""Reads scoped to the signed-in user's organisation (DESIGN.md §4: one tenant at a time).

Every view that shows tenant data goes through `scoped_to_user` or `get_for_user_or_404`, so
another organisation's object is a 404, never a 403 that confirms it exists.
"""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Organisation, User


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


def organisation_recipients(*, organisation: Organisation, category: str) -> list[tuple[str, str]]:
    """Who receives an organisation's message of `category`: (email, language) pairs.

    The main contact always does (R-CON-1, R-CON-3); contacts' email settings add others.
    """
    holder: User = organisation.account_holder
    return [(holder.email, holder.language)]


def payment_confirmation_recipients(*, organisation: Organisation) -> list[tuple[str, str]]:
    """Who receives a payment confirmation (R-CON-7)."""
    return organisation_recipients(organisation=organisation, category="invoices")


@dataclass(frozen=True)
class InvoiceAddressee:
    """Whose details go on an invoice; copied onto the invoice when it is issued."""

    name: str
    email: str
    organisation_name: str
    address: str
    country: str


def invoice_addressee(*, organisation: Organisation) -> InvoiceAddressee:
    """The billing contact, or the main contact when a Peppol ID is set (R-CON-5, R-CON-6)."""
    holder = organisation.account_holder
    return InvoiceAddressee(
        name=holder.get_full_name() or holder.email,
        email=holder.email,
        organisation_name=organisation.legal_name,
        address=organisation.address,
        country=str(organisation.country),
    )
