"""In the browser: the account holder adds a contact, gives it invoice mail, makes it a
sub-account with one right; the sub-account signs in and sees only what that right allows."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Contact
from accounts.selectors import organisation_recipients
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

SUB_PASSWORD = "Blue-Kettle-Orbit-42"


def test_a_contact_made_sub_account_sees_only_what_its_right_allows(
    page, login, organisation, holder
):
    login(holder.email, PASSWORD)
    page.get_by_role("link", name="Contacts").click()
    expect(page.get_by_role("heading", name="Manage contacts")).to_be_visible()
    page.get_by_role("link", name="Add new contact").click()

    page.get_by_label("First name").fill("Ingrid")
    page.get_by_label("Last name").fill("Invoice")
    page.get_by_label("Email address").fill("ingrid@example.org")
    page.get_by_label("Address 1").fill("Kungsgatan 9")
    page.get_by_label("City").fill("Göteborg")
    page.get_by_label("Postcode").fill("411 19")
    page.get_by_label("Country").select_option("SE")
    page.get_by_label("Phone number").fill("+46 31 12 34 56")
    page.get_by_label("Invoice messages – invoices & reminders").check()
    page.get_by_label("Activate sub-account").check()
    page.get_by_label("Manage account details").check()
    page.get_by_label("Password", exact=True).fill(SUB_PASSWORD)
    page.get_by_role("button", name="Save changes").click()

    expect(page.get_by_text("The contact “Ingrid Invoice” is saved.")).to_be_visible()
    row = page.get_by_role("row", name=re.compile("Ingrid Invoice"))
    expect(row).to_contain_text("Invoice messages – invoices & reminders")
    expect(row).to_contain_text("Active")
    assert ("ingrid@example.org", "en") in organisation_recipients(
        organisation=organisation, category="invoices"
    )
    assert Contact.objects.get(email="ingrid@example.org").rights == {"manage_account_details"}

    page.get_by_role("button", name="Sign out").click()
    login("ingrid@example.org", SUB_PASSWORD)
    tabs = page.get_by_role("navigation", name="My account")
    expect(tabs.get_by_role("link", name="My details")).to_be_visible()
    expect(tabs.get_by_role("link", name="Contacts")).to_have_count(0)

    tabs.get_by_role("link", name="My details").click()
    expect(page.get_by_label("Billing contact")).to_be_visible()

    page.goto("/account/contacts/")
    expect(page.get_by_role("heading", name="You cannot open this page")).to_be_visible()
    expect(page.get_by_text("You need the right “Manage contacts”")).to_be_visible()
