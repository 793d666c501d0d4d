"""Validation end to end in a browser (R-VAL-1 … R-VAL-3): apply → staff ask for more
information in admin → the organisation answers → staff approve → the organisation sees it is
approved; and a denial shows its reason."""

import pytest
from django.contrib.auth.models import Group

from tests.factories import PASSWORD, UserFactory
from validation.models import Statement


@pytest.fixture
def staff_page(browser, live_server, settings):
    settings.REQUIRE_STAFF_MFA = False
    reviewer = UserFactory(email="reviewer@clearinghouse.test", is_staff=True)
    reviewer.groups.add(Group.objects.get(name="Validation staff"))
    context = browser.new_context(locale="en-GB", base_url=live_server.url)
    context.set_default_timeout(10_000)
    staff = context.new_page()
    staff.goto("/accounts/login/")
    staff.get_by_label("Email").fill(reviewer.email)
    staff.get_by_label("Password").fill(PASSWORD)
    staff.get_by_role("button", name="Sign in").click()
    staff.wait_for_load_state()
    yield staff
    context.close()


def _apply(page, login, *, name):
    applicant = UserFactory()
    login(applicant.email, PASSWORD)
    page.goto("/account/")
    page.get_by_role("link", name="Apply for validation").click()
    page.get_by_label("Legal name").fill(name)
    page.get_by_label("Organisation type").select_option("nonprofit")
    page.get_by_label("Country").select_option("SE")
    page.get_by_label("Legal form").select_option(label="Ideell förening")
    page.get_by_label("Documents that prove your status").set_input_files(
        files=[{"name": "minutes.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 x"}]
    )
    page.get_by_label("Registration number").fill("8020024280")
    page.get_by_label("Address", exact=True).fill("Storgatan 1\n111 22 Stockholm")
    page.get_by_label("Mission").fill("Reading for everyone.")
    for statement in Statement:
        page.get_by_label(str(statement.label)).check()
    page.get_by_role("button", name="Submit application").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("validation-status").inner_text() == "Pending review"


def _open_in_queue(staff, name):
    staff.goto("/admin/validation/application/")
    staff.get_by_role("link", name=name).click()
    staff.wait_for_load_state()


def test_apply_answer_a_question_and_get_approved(page, login, staff_page):
    _apply(page, login, name="Kista Readers")

    _open_in_queue(staff_page, "Kista Readers")
    staff_page.get_by_label("Reason or message").fill("Please tell us who runs the club.")
    staff_page.get_by_role("button", name="Request more information").click()
    staff_page.wait_for_load_state()
    assert "More information requested" in staff_page.content()

    page.goto("/account/validation/")
    assert page.get_by_test_id("validation-status").inner_text() == "More information required"
    assert "who runs the club" in page.get_by_test_id("staff-message").inner_text()
    page.get_by_label("Your answer").fill("A board of five volunteers.")
    page.get_by_role("button", name="Send answer").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("validation-status").inner_text() == "Pending review"

    staff_page.reload()
    assert "A board of five volunteers." in staff_page.content()
    staff_page.get_by_role("button", name="Approve").click()
    staff_page.wait_for_load_state()
    assert "Approved." in staff_page.content()

    page.goto("/account/validation/")
    assert page.get_by_test_id("validation-status").inner_text() == "Approved"
    assert page.get_by_role("link", name="Attest").is_visible()


def test_a_denial_shows_its_reason(page, login, staff_page):
    _apply(page, login, name="Solna Friends")

    _open_in_queue(staff_page, "Solna Friends")
    staff_page.get_by_role("button", name="Deny").click()
    staff_page.wait_for_load_state()
    assert "Write the reason for the denial" in staff_page.content()
    staff_page.get_by_label("Reason or message").fill("We found no nonprofit registration.")
    staff_page.get_by_role("button", name="Deny").click()
    staff_page.wait_for_load_state()

    page.goto("/account/validation/")
    assert page.get_by_test_id("validation-status").inner_text() == "Denied"
    assert page.get_by_test_id("denial-reason").inner_text() == (
        "We found no nonprofit registration."
    )
    assert page.get_by_role("link", name="Apply again").is_visible()
