"""A newcomer signs up, confirms the email from the captured message, logs in, switches
language and logs out, in a real (headless) Chromium."""

import re

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Plenty-Of-Letters-42"


def test_sign_up_confirm_log_in_switch_language_and_log_out(page):
    page.goto("/")
    page.get_by_role("link", name="Sign up and apply").click()
    page.get_by_label("First name").fill("Nora")
    page.get_by_label("Last name").fill("Newcomer")
    page.get_by_label("Email").fill("newcomer@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/accounts/confirm-email/")

    [message] = [m for m in mail.outbox if m.to == ["newcomer@example.org"]]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/account/")
    assert page.get_by_role("heading", name="My account").is_visible()

    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("link", name="Sign in").first.click()
    page.get_by_label("Email").fill("newcomer@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/account/")

    # With JavaScript the choice applies at once; the button is for keyboards without it.
    assert not page.get_by_role("button", name="Change language").is_visible()
    with page.expect_navigation():
        page.get_by_label("Language").select_option("sv")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.get_by_role("heading", name="Mitt konto").is_visible()

    with page.expect_navigation():
        page.get_by_role("button", name="Logga ut").click()
    assert page.get_by_role("link", name="Logga in").first.is_visible()
