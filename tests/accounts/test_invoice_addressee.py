"""Whose details go on an invoice (R-CON-5, R-CON-6)."""

import pytest

from accounts.models import Contact
from accounts.selectors import invoice_addressee
from accounts.services import main_contact_ensure
from tests.accounts.factories import ContactFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_without_a_billing_contact_the_main_contact_is_on_the_invoice(organisation, holder):
    addressee = invoice_addressee(organisation=organisation)
    assert addressee.email == holder.email
    assert addressee.name == holder.get_full_name()
    assert addressee.organisation_name == organisation.legal_name
    assert addressee.address == organisation.address
    assert addressee.country == "SE"


def test_the_billing_contacts_details_are_on_the_invoice(organisation):
    """R-CON-5."""
    billing = ContactFactory(
        organisation=organisation,
        first_name="Bo",
        last_name="Billing",
        organisation_name="Finance office",
        address_1="Box 12",
        address_2="Floor 3",
        postcode="753 10",
        city="Uppsala",
        country="SE",
        phone="+46 18 10 10 10",
    )
    organisation.billing_contact = billing
    organisation.save()
    addressee = invoice_addressee(organisation=organisation)
    assert addressee.name == "Bo Billing"
    assert addressee.email == billing.email
    assert addressee.organisation_name == "Finance office"
    assert addressee.address == "Box 12\nFloor 3\n753 10 Uppsala"
    assert addressee.phone == "+46 18 10 10 10"


def test_with_a_peppol_id_the_main_contact_is_on_the_invoice_whatever_the_billing_contact(
    organisation, holder
):
    """R-CON-6."""
    organisation.billing_contact = ContactFactory(organisation=organisation)
    organisation.peppol_id = "0007:5567212047"
    organisation.save()
    addressee = invoice_addressee(organisation=organisation)
    assert addressee.email == holder.email
    assert addressee.peppol_id == "0007:5567212047"


def test_the_main_contacts_own_address_is_used_once_filled_in(organisation, holder):
    main = main_contact_ensure(organisation=organisation)
    main.address_1, main.postcode, main.city = "Kungsgatan 9", "411 19", "Göteborg"
    main.first_name, main.last_name = "Maja", "Main"
    main.save()
    addressee = invoice_addressee(organisation=organisation)
    assert addressee.address == "Kungsgatan 9\n411 19 Göteborg"
    assert addressee.name == "Maja Main"
    assert addressee.email == holder.email


def test_the_main_contact_is_made_from_the_organisations_address(organisation):
    main = main_contact_ensure(organisation=organisation)
    assert (main.address_1, main.postcode, main.city) == ("Storgatan 1", "111 22", "Stockholm")
    assert main.is_main and main.user == organisation.account_holder
    assert main_contact_ensure(organisation=organisation) == main


def test_a_billing_contact_without_an_address_gets_the_invoice_at_the_organisations(
    organisation,
):
    """R-CON-5, R-INV-1: a contact that joined by request has no postal address of its own;
    its invoice is addressed to it at the organisation's address, never to no address."""
    person = UserFactory(first_name="Jo", last_name="Joined")
    billing = Contact.of_person(person, organisation=organisation)  # as a join request makes it
    billing.save()
    organisation.billing_contact = billing
    organisation.save()
    addressee = invoice_addressee(organisation=organisation)
    assert addressee.name == "Jo Joined" and addressee.email == billing.email
    assert addressee.address == organisation.address
    assert addressee.country == "SE"
