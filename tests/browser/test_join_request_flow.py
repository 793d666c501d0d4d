"""In the browser (R-VAL-11): a second person of the demo organisation signs up, asks to join
it instead of registering it again, the account holder accepts with one right, and the person
then sees the Approval codes tab."""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.demo import HOLDER
from accounts.models import Organisation

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Second-Board-Member-7"
EMAIL = "karin.berg@example.org"


def _sign_up(page):
    page.goto("/accounts/signup/")
    for label, value in (("First name", "Karin"), ("Last name", "Berg")):
        if page.get_by_label(label, exact=True).count():
            page.get_by_label(label, exact=True).fill(value)
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/accounts/confirm-email/")
    [message] = [m for m in mail.outbox if m.to == [EMAIL]]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/account/")


def test_a_second_person_asks_to_join_the_demo_organisation_and_is_accepted(page, login):
    call_command("load_demo_data", verbosity=0)
    demo = Organisation.objects.get(legal_name="Demo Nonprofit")

    _sign_up(page)
    page.get_by_role("link", name="Ask to join an existing organisation").click()
    page.get_by_label("Handle or registration number").fill(demo.handle)
    page.get_by_label("Message to the account holder").fill("I am the new secretary.")
    page.get_by_role("button", name="Ask to join").click()
    expect(page.get_by_text("its account holder has been asked to add you").first).to_be_visible()
    page.locator("form[action$='/logout/'] button, button:has-text('Sign out')").first.click()

    login(*HOLDER)
    page.goto("/account/contacts/join-requests/")
    row = page.get_by_role("row", name=re.compile(EMAIL))
    expect(row).to_be_visible()
    row.get_by_role("link").click()
    expect(page.get_by_text("I am the new secretary.")).to_be_visible()
    page.locator("input[name=rights][value=manage_approval_codes]").check()
    page.locator("form:has(input[name=rights]) button[type=submit]").click()
    page.wait_for_url("**/account/contacts/join-requests/")
    page.context.clear_cookies()

    login(EMAIL, PASSWORD)
    tabs = page.get_by_role("navigation", name="My account")
    expect(tabs.get_by_role("link", name="Approval codes")).to_be_visible()
    expect(tabs.get_by_role("link", name="Contacts")).to_have_count(0)
    expect(tabs.get_by_role("link", name="Orders")).to_have_count(0)
    tabs.get_by_role("link", name="Approval codes").click()
    expect(page.get_by_role("link", name="Create new approval code")).to_be_visible()
