"""Staff grant an order in admin; the organisation opens its invoice and the PDF, whose text
holds the seller's name, the payment reference and the total in kronor (R-INV-1, R-MS-8)."""

import re

import pytest
from playwright.sync_api import expect

from orders.models import Invoice, Order
from orders.services import order_place
from tests.catalog.factories import CertificateFactory, ProductFactory, ProgrammeFactory
from tests.factories import PASSWORD, OrganisationFactory, UserFactory
from tests.orders.pdf_text import pdf_text
from tests.orders.rates import invoice_rates

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"


def test_staff_grant_and_the_organisation_opens_the_invoice_and_its_pdf(
    page, login, browser, live_server, private_media, settings
):
    holder = UserFactory(email="kassor@forening.example.org", first_name="Karin")
    organisation = OrganisationFactory(account_holder=holder, legal_name="Föreningen Exempel")
    programme = ProgrammeFactory()
    CertificateFactory(organisation=organisation, donor=programme.donor)
    product = ProductFactory(programme=programme, name="Office 365 E3", terms__price="5.80")
    order = order_place(
        organisation=organisation,
        programme=programme,
        quantities={product.pk: 5},
        placed_by=holder,
        idempotency_key="browser-invoice",
    )
    invoice_rates()  # 10.5 SEK per USD, 25 % VAT in Sweden
    UserFactory(email="billing@clearinghouse.test", is_staff=True, is_superuser=True)

    login("billing@clearinghouse.test", PASSWORD)
    page.goto(f"/admin/orders/order/{order.pk}/decide/")
    page.get_by_role("button", name="Grant").click()
    expect(page.get_by_text("The decision is recorded")).to_be_visible()
    order.refresh_from_db()
    assert order.status == Order.Status.GRANTED
    invoice = Invoice.objects.get(order=order)

    context = browser.new_context(locale="en-GB", base_url=live_server.url)
    holder_page = context.new_page()
    holder_page.goto("/accounts/login/")
    holder_page.get_by_label("Email").fill(holder.email)
    holder_page.get_by_label("Password").fill(PASSWORD)
    holder_page.get_by_role("button", name="Sign in").click()
    holder_page.goto("/account/orders/invoices/")
    holder_page.get_by_role("link", name=invoice.display_number).first.click()
    expect(
        holder_page.get_by_role("heading", name=f"Invoice {invoice.display_number}")
    ).to_be_visible()
    # 29.00 USD is 304.50 SEK; with 25 % VAT (76.13) 380.63 SEK.
    expect(holder_page.get_by_test_id("invoice-total")).to_have_text("380.63 SEK")
    expect(holder_page.get_by_test_id("payment-reference")).to_have_text(invoice.payment_reference)
    expect(holder_page.get_by_test_id("seller-name")).to_have_text(settings.INVOICE_SELLER["NAME"])

    link = holder_page.get_by_role("link", name="Download PDF")
    response = holder_page.request.get(link.get_attribute("href"))  # the signed-in session
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    text = pdf_text(pdf)
    assert settings.INVOICE_SELLER["NAME"] in text
    assert invoice.payment_reference in text
    assert re.search(r"380\.63 SEK", text)
    context.close()
