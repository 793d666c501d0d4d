"""Phone numbers validated and stored in E.164 with phonenumbers; old ones converted by a
migration in the contact's country, the unreadable kept and shown to fix (issue 13, item 3)."""

from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse

from accounts.models import Contact
from accounts.phones import phone_for_display, phone_to_e164
from tests.accounts.factories import ContactFactory
from tests.accounts.test_contacts import VALID

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "country", "stored"),
    [
        ("+46 31 12 34 56", "SE", "+4631123456"),
        ("031-12 34 56", "SE", "+4631123456"),
        ("22 12 34 56", "NO", "+4722123456"),
        ("+47 22 12 34 56", "SE", "+4722123456"),
        ("070-123 45 67", "", "+46701234567"),  # no country: the clearinghouse's own
    ],
)
def test_a_phone_number_is_read_in_the_contacts_country_and_stored_in_e164(typed, country, stored):
    assert phone_to_e164(typed, country=country) == stored


@pytest.mark.parametrize("typed", ["12", "call me", "+46 0000"])
def test_what_is_not_a_phone_number_is_not_read(typed):
    assert phone_to_e164(typed, country="SE") is None


def test_the_contact_form_stores_the_number_in_e164(holder_client):
    response = holder_client.post(
        reverse("accounts:contact-create"), {**VALID, "phone": "031-12 34 56"}
    )
    assert response.status_code == 302
    assert Contact.objects.get(email=VALID["email"]).phone == "+4631123456"


def test_the_contact_form_refuses_a_number_it_cannot_read_and_saves_nothing(holder_client):
    response = holder_client.post(reverse("accounts:contact-create"), {**VALID, "phone": "12"})
    assert response.status_code == 200
    assert "not a phone number we can call" in response.content.decode()
    assert not Contact.objects.filter(email=VALID["email"]).exists()


def test_the_migration_converts_numbers_in_the_contacts_country_and_keeps_the_rest(
    organisation,
):
    swedish = ContactFactory(organisation=organisation, country="SE", phone="08-123 456 78")
    norwegian = ContactFactory(organisation=organisation, country="NO", phone="22 12 34 56")
    unreadable = ContactFactory(organisation=organisation, country="SE", phone="ring växeln")
    migration = import_module("accounts.migrations.0006_phones_in_e164")
    migration.to_e164(apps, None)
    for contact in (swedish, norwegian, unreadable):
        contact.refresh_from_db()
    assert swedish.phone == "+46812345678"
    assert norwegian.phone == "+4722123456"
    assert unreadable.phone == "ring växeln"
    assert unreadable.phone_needs_fixing and not swedish.phone_needs_fixing


def test_the_contact_list_asks_the_account_holder_to_fix_an_unreadable_number(
    holder_client, organisation
):
    ContactFactory(organisation=organisation, phone="ring växeln", first_name="Vera")
    ContactFactory(organisation=organisation, phone="+46812345678", first_name="Rut")
    page = holder_client.get(reverse("accounts:contact-list")).content.decode()
    assert page.count("Check the phone number") == 1


def test_a_stored_number_is_shown_in_international_format():
    assert phone_for_display("+46812345678") == "+46 8 123 456 78"
    assert phone_for_display("ring växeln") == "ring växeln"
