"""No page scrolls sideways on a 390 px phone (issue 13, item 9): every main page, opened as
the demo account holder and as a visitor, is no wider than the viewport."""

import pytest
from django.core.management import call_command

from accounts.demo import HOLDER, STAFF
from accounts.models import Organisation
from orders.models import Invoice, Order

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
PUBLIC_PAGES = [
    "/",
    "/verify/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
]
ACCOUNT_PAGES = [
    "/account/",
    "/account/codes/",
    "/account/codes/new/",
    "/account/contacts/",
    "/account/contacts/add/",
    "/account/details/",
    "/account/validation/",
    "/account/orders/",
    "/account/orders/catalogue/",
    "/account/orders/new/microsoft/",
    "/account/orders/invoices/",
    "/account/orders/licence-usage/",
]


def _too_wide(page, path) -> str | None:
    response = page.goto(path)
    assert response.ok, f"{path}: {response.status}"
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        widest = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                 .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                 .slice(0, 3).map(e => e.tagName + '.' + e.className).join(', ')"""
        )
        return f"{path} is {width} px wide ({widest})"
    return None


def test_no_main_page_scrolls_sideways_at_390_px(page, login):
    call_command("load_demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    page.set_viewport_size(PHONE)
    problems = [_too_wide(page, path) for path in PUBLIC_PAGES]
    login(*HOLDER)
    demo = Organisation.objects.get(legal_name="Demo Nonprofit")
    pages = list(ACCOUNT_PAGES)
    order = Order.objects.filter(organisation=demo).first()
    invoice = Invoice.objects.filter(organisation=demo).first()
    code = demo.approval_codes.first()
    pages += [f"/account/orders/{order.pk}/"] if order else []
    pages += [f"/account/orders/invoices/{invoice.pk}/"] if invoice else []
    pages += [f"/account/codes/{code.pk}/"] if code else []
    problems += [_too_wide(page, path) for path in pages]
    assert [problem for problem in problems if problem] == []
    assert order and invoice and code, "the demo data has an order, an invoice and a code"
    assert STAFF  # staff pages are Django admin's, responsive on their own
