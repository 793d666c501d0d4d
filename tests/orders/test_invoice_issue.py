"""A complete invoice (R-INV-1, R-MS-8): seller and customer, dates, a payment reference with a
check digit, VAT per category and totals in USD and the local currency, copied at issue."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone
from stdnum import luhn

from orders.errors import InvoiceNotIssuable
from orders.invoicing import InvoiceItem, invoice_issue
from orders.models import ExchangeRate, Invoice, InvoiceLine, Order, VatRate
from orders.payment_reference import (
    creditor_reference,
    is_valid_reference,
    kid_reference,
    ocr_reference,
)
from orders.services import order_grant
from tests.catalog.factories import CertificateFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("todays_rates")]


@pytest.fixture
def order(place, make_product):
    """3 granted with a 2.00 admin fee each, and 5 paid at 5.50: 6.00 + 27.50 USD."""
    premium = make_product(price="5.50", grant=3, admin_fee="2.00", name="Premium", sku="BP")
    return place({premium: 8})


def test_the_invoice_carries_the_seller_the_customer_and_the_payment_details(
    order, staff_user, organisation, settings
):
    order_grant(order=order, decided_by=staff_user)
    invoice = Invoice.objects.get()
    assert invoice.seller["name"] == settings.INVOICE_SELLER["NAME"]
    assert invoice.seller["vat_number"] == settings.INVOICE_SELLER["VAT_NUMBER"]
    assert invoice.seller["bankgiro"] == settings.INVOICE_SELLER["BANKGIRO"]
    assert (invoice.customer_name, invoice.customer_registration_number) == (
        organisation.legal_name,
        organisation.registration_number,
    )
    assert invoice.due_on == invoice.issued_on + timedelta(days=30)
    assert invoice.currency == "SEK"


def test_a_swedish_customer_gets_an_ocr_number_with_length_and_check_digit(order, staff_user):
    order_grant(order=order, decided_by=staff_user)
    reference = Invoice.objects.get().payment_reference
    # 000001, the length digit 8, and the Luhn digit: 8×2 = 16 → 7, + 1 = 8, so 10 - 8 = 2.
    assert reference == "00000182"
    assert luhn.is_valid(reference) and reference[-2] == str(len(reference) % 10)
    assert is_valid_reference(reference, country="SE")
    assert not is_valid_reference("00000183", country="SE")
    assert not is_valid_reference("0000182", country="SE")  # a digit lost: the length digit


def test_a_norwegian_customer_gets_a_kid_number_and_zero_rated_export_vat(
    place, make_product, make_organisation, programme, staff_user
):
    norwegian = make_organisation(country="NO", registration_number="974760673")
    CertificateFactory(organisation=norwegian, donor=programme.donor)
    order = place({make_product(price="10.00"): 5}, org=norwegian)
    order_grant(order=order, decided_by=staff_user)
    invoice = Invoice.objects.get()
    assert invoice.payment_reference == kid_reference("000001") == "0000018"  # 1×2 = 2 → 8
    assert luhn.is_valid(invoice.payment_reference)
    assert (invoice.currency, invoice.net_total, invoice.vat_total) == (
        "NOK",
        Decimal("560.00"),
        Decimal("0.00"),
    )
    (subtotal,) = invoice.vat_subtotals.all()
    assert (subtotal.category, subtotal.rate, subtotal.exemption_reason_code) == (
        "G",
        Decimal("0.00"),
        "VATEX-EU-G",
    )


def test_references_elsewhere_are_iso_11649_creditor_references():
    assert creditor_reference("000002") == "RF47000002"
    assert is_valid_reference("RF47000002", country="DE")
    assert ocr_reference("1234") == "123463"  # length 6; Luhn of 12346 is 3


def test_vat_is_computed_per_category_and_the_totals_add_up_in_both_currencies(
    order, staff_user, organisation
):
    VatRate.objects.filter(country="SE", charge="admin_fee").update(
        category="E", rate=0, exemption_reason_code="VATEX-EU-132", exemption_reason="Exempt"
    )
    order_grant(order=order, decided_by=staff_user)
    invoice = Invoice.objects.get()
    lines = list(invoice.lines.all())
    assert [(line.charge, line.amount, line.amount_local, line.vat_category) for line in lines] == [
        ("granted", Decimal("0.00"), Decimal("0.00"), "S"),
        ("paid", Decimal("27.50"), Decimal("288.75"), "S"),
        ("admin_fee", Decimal("6.00"), Decimal("63.00"), "E"),
    ]
    subtotals = {row.category: row for row in invoice.vat_subtotals.all()}
    assert (subtotals["S"].taxable_amount, subtotals["S"].tax_amount) == (
        Decimal("288.75"),
        Decimal("72.19"),  # 72.1875 rounded once, for the category
    )
    assert (subtotals["E"].taxable_amount, subtotals["E"].tax_amount) == (Decimal("63.00"), 0)
    assert subtotals["E"].exemption_reason == "Exempt"
    assert invoice.net_total == sum(line.amount_local for line in lines) == Decimal("351.75")
    assert invoice.vat_total == sum(row.tax_amount for row in subtotals.values())
    assert invoice.total == invoice.net_total + invoice.vat_total == Decimal("423.94")
    assert invoice.net_total_usd == sum(line.amount for line in lines) == Decimal("33.50")
    assert (invoice.vat_total_usd, invoice.total_usd) == (Decimal("6.88"), Decimal("40.38"))
    assert (invoice.exchange_rate, invoice.exchange_rate_on) == (
        Decimal("10.5"),
        timezone.localdate(),
    )


def test_the_latest_rate_on_or_before_the_invoice_date_is_used(order, staff_user):
    today = timezone.localdate()
    ExchangeRate.objects.create(currency="SEK", valid_on=today - timedelta(days=3), rate=9)
    ExchangeRate.objects.create(currency="SEK", valid_on=today + timedelta(days=1), rate=12)
    order_grant(order=order, decided_by=staff_user)
    assert Invoice.objects.get().exchange_rate == Decimal("10.5")  # today's, not tomorrow's


def test_a_missing_exchange_rate_refuses_the_grant_and_issues_nothing(order, staff_user):
    ExchangeRate.objects.filter(currency="SEK").delete()
    with pytest.raises(InvoiceNotIssuable, match="no exchange rate for USD to SEK"):
        order_grant(order=order, decided_by=staff_user)
    order.refresh_from_db()
    assert order.status == Order.Status.SUBMITTED and not Invoice.objects.exists()


def test_a_rate_older_than_seven_days_refuses_the_grant_with_its_date(order, staff_user):
    rate = ExchangeRate.objects.get(currency="SEK")
    later = timezone.now() + timedelta(days=8)
    with time_machine.travel(later), pytest.raises(InvoiceNotIssuable) as error:
        order_grant(order=order, decided_by=staff_user)
    assert rate.valid_on.isoformat() in str(error.value) and "more than 7 days" in str(error.value)
    assert not Invoice.objects.exists()


def test_a_missing_vat_rate_refuses_the_grant_naming_the_country(order, staff_user):
    VatRate.objects.filter(country="SE", charge="admin_fee").delete()
    with pytest.raises(InvoiceNotIssuable, match="administrative fee to customers in Sweden"):
        order_grant(order=order, decided_by=staff_user)
    assert not Invoice.objects.exists()


def test_the_grant_refused_in_admin_names_the_missing_rate(staff_client, order):
    from django.urls import reverse

    ExchangeRate.objects.all().delete()
    response = staff_client.post(
        reverse("admin:orders_order_decide", args=[order.pk]), {"grant": "Grant"}
    )
    assert response.status_code == 200
    assert "no exchange rate for USD to SEK" in response.content.decode()
    order.refresh_from_db()
    assert order.status == Order.Status.SUBMITTED


def test_later_changes_of_rates_and_settings_never_change_an_issued_invoice(
    order, staff_user, settings
):
    order_grant(order=order, decided_by=staff_user)
    before = Invoice.objects.get()
    ExchangeRate.objects.update(rate=20)
    VatRate.objects.filter(category="S").update(rate=12)
    settings.INVOICE_SELLER = {**settings.INVOICE_SELLER, "NAME": "Renamed AB"}
    after = Invoice.objects.get()
    assert (after.total, after.exchange_rate, after.seller["name"]) == (
        before.total,
        Decimal("10.5"),
        before.seller["name"],
    )


def test_other_apps_issue_invoices_with_their_own_lines(organisation, staff_user):
    """The service a renewal or pro-rata seats call: no order, lines priced in USD."""
    invoice = invoice_issue(
        organisation=organisation,
        items=[
            InvoiceItem("Business Premium renewal", "BP", 12, Decimal("5.50")),
            InvoiceItem(
                "Seats from 1 June, pro rata", "BP", 3, Decimal("3.21"), amount=Decimal("9.62")
            ),
        ],
        actor=staff_user,
        today=timezone.localdate(),
    )
    assert invoice.order is None and invoice.number == 1
    assert [line.amount for line in invoice.lines.all()] == [Decimal("66.00"), Decimal("9.62")]
    assert invoice.net_total_usd == Decimal("75.62")
    assert invoice.lines.first().charge == InvoiceLine.Charge.PAID
