"""In the browser: create an approval code, copy it, see the email; it expires; renew it;
check both on the public page (R-CODE-2, R-CODE-3, R-CODE-4, R-CODE-7)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from approval_codes.models import ApprovalCode
from clearinghouse.models import OutboundEmail
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_create_copy_email_expire_renew_and_verify_both_codes(
    page, login, live_server, organisation, holder
):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    login(holder.email, PASSWORD)
    page.goto("/account/")
    page.get_by_role("link", name="Approval codes").click()
    expect(page.get_by_text("Create a code only when someone needs one")).to_be_visible()
    page.get_by_role("link", name="Create new approval code").click()

    page.get_by_label("First name").fill("Astrid")
    page.get_by_label("Last name").fill("Lindgren")
    page.get_by_label("Email address").fill("astrid@example.org")
    page.get_by_role("button", name="Add new approval code").click()
    expect(page.get_by_text("Confirm that this person is authorised")).to_be_visible()
    page.get_by_label("This person is authorised to act for our organisation").check()
    page.get_by_label("Email the code to this person").check()
    page.get_by_role("button", name="Add new approval code").click()

    code = ApprovalCode.objects.get(organisation=organisation)
    shown = page.get_by_test_id("approval-code")
    expect(shown).to_have_text(code.code)
    expect(page.get_by_text("expires in", exact=False).first).to_be_visible()
    copy = page.get_by_role("button", name="Copy")
    copy.click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == code.code

    (email,) = OutboundEmail.objects.filter(to="astrid@example.org")
    assert code.code in email.body_text

    ApprovalCode.objects.filter(pk=code.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    page.get_by_role("link", name="All approval codes").click()
    row = page.get_by_role("row").filter(has_text=code.code)
    expect(row.get_by_text("Expired", exact=True)).to_be_visible()
    row.get_by_role("button", name="Renew approval code").click()

    new = ApprovalCode.objects.get(renewed_from=code)
    expect(page.get_by_test_id("approval-code")).to_have_text(new.code)
    expect(page.get_by_text("the old one no longer works")).to_be_visible()

    page.get_by_role("link", name="Check a code").click()
    page.get_by_label("Approval code").fill(code.code)
    page.get_by_role("button", name="Check code").click()
    result = page.get_by_test_id("verify-result")
    expect(result).to_contain_text("Not valid")
    expect(result).to_contain_text("replaced by a newer code")
    expect(result).not_to_contain_text("astrid@example.org")

    page.get_by_label("Approval code").fill(new.code)
    page.get_by_role("button", name="Check code").click()
    expect(result).to_contain_text("Valid")
    expect(result).to_contain_text(organisation.legal_name)
    expect(result).not_to_contain_text("Not valid")
    expect(result).not_to_contain_text("Astrid")
