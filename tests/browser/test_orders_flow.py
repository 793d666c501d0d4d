"""Browse, order 3 granted + 5 discounted (R-MS-2), the donor grants, the invoice shows its
addressee (R-CON-5)."""

import re

import pytest
from playwright.sync_api import expect

from accounts.selectors import invoice_addressee
from orders.models import Order
from orders.services import order_grant
from tests.catalog.factories import CertificateFactory, ProductFactory, ProgrammeFactory
from tests.factories import PASSWORD, OrganisationFactory, UserFactory
from tests.orders.rates import invoice_rates

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"


def test_order_three_granted_and_five_discounted_is_granted_and_the_invoice_is_addressed(
    page, login, private_media
):
    holder = UserFactory(email="astrid@helping-hands.example.org", first_name="Astrid")
    organisation = OrganisationFactory(account_holder=holder, legal_name="Helping Hands")
    programme = ProgrammeFactory()
    CertificateFactory(organisation=organisation, donor=programme.donor)
    ProductFactory(
        programme=programme,
        name="Business Premium",
        terms__price="5.50",
        terms__grant=10,
        terms__commercial="22.00",
    )
    ProductFactory(programme=programme, name="Office 365 E3", terms__price="5.80")
    staff = UserFactory(email="staff@clearinghouse.test", is_staff=True, is_superuser=True)

    login(holder.email, PASSWORD)
    page.goto("/account/")
    page.get_by_role("link", name="Orders", exact=True).click()
    page.get_by_role("link", name="Browse the catalogue").click()
    expect(page.get_by_role("cell", name=re.compile("Business Premium"))).to_be_visible()
    expect(page.get_by_text("paid staff and unpaid leaders")).to_be_visible()

    page.get_by_role("link", name="Order from Microsoft for Nonprofits").click()
    page.get_by_label("Quantity of Business Premium").fill("3")
    page.get_by_label("Quantity of Office 365 E3").fill("5")
    page.get_by_role("button", name="Review order").click()
    expect(page.get_by_role("heading", name="Review order")).to_be_visible()
    page.get_by_role("button", name="Place order").click()
    expect(page.get_by_text("Your order is placed.")).to_be_visible()

    order = Order.objects.get(organisation=organisation)
    assert sorted(order.lines.values_list("quantity", "granted_quantity")) == [(3, 3), (5, 0)]
    invoice_rates()  # 10.5 SEK per USD, 25 % VAT
    order_grant(order=order, decided_by=staff)  # staff, on the donor's behalf

    page.goto("/account/orders/")
    expect(page.get_by_text("Granted", exact=True)).to_be_visible()
    page.get_by_role("link", name="Invoice 000001").click()
    expect(page.get_by_role("heading", name="Invoice 000001")).to_be_visible()
    addressee = invoice_addressee(organisation=organisation)
    expect(page.get_by_test_id("addressee-name")).to_have_text(addressee.name)
    expect(page.locator("address")).to_contain_text(addressee.email)
    # 29.00 USD is 304.50 SEK, with 25 % VAT (76.13) 380.63 SEK (R-MS-8).
    expect(page.locator(".invoice-total")).to_contain_text("380.63 SEK")
