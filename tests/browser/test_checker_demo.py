"""The checker script on the portal's demo donor form: a visitor types a valid, an expired and
a garbage code and reads the answers, in their language (issue 14, item 4)."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from accounts.models import Organisation
from tests.approval_codes.jobs_helpers import make_code

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_demo_form_checks_a_valid_an_expired_and_a_garbage_code(page, make_organisation):
    organisation = make_organisation(status=Organisation.Status.APPROVED, legal_name="Röda Korset")
    valid = make_code(organisation)
    expired = make_code(organisation, expires_in=-timedelta(days=2))
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)

    page.goto("/checker/demo/")
    field = page.get_by_label("Approval code")
    answer = page.locator(".approval-code-check")

    field.fill(valid.code)
    expect(answer).to_have_attribute("data-state", "valid")
    expect(answer).to_contain_text("Röda Korset")

    field.fill(expired.code)
    expect(answer).to_contain_text("expired")
    expect(answer).to_contain_text("renew")

    field.fill("nonsense!")
    expect(answer).to_contain_text("looks like")
    assert problems == []


def test_the_checker_speaks_the_visitors_language(
    browser, live_server, settings, make_organisation
):
    settings.SITE_URL = live_server.url
    organisation = make_organisation(status=Organisation.Status.APPROVED)
    expired = make_code(organisation, expires_in=-timedelta(days=2))
    context = browser.new_context(locale="sv-SE", base_url=live_server.url)
    page = context.new_page()
    try:
        page.goto("/checker/demo/")
        page.locator("#approval-code").fill(expired.code)
        expect(page.locator(".approval-code-check")).to_contain_text("förnya")
    finally:
        context.close()
