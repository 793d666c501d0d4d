"""E-invoices (R-INV-3): for an account with a Peppol ID, each invoice and credit note is a UBL
2.1 document following Peppol BIS Billing 3.0, downloadable and attached to the mail. Checked
here: well-formed XML, the BIS 3 identifiers, both endpoints with their scheme, VAT by category
and totals that add up (the Peppol schematron itself is not run: see docs)."""

from decimal import Decimal

import pytest
from django.urls import reverse
from lxml import etree

from clearinghouse.models import OutboundEmail
from orders.invoicing import credit_note_issue
from orders.models import Invoice, VatRate
from orders.services import order_grant
from orders.ubl import CUSTOMIZATION_ID, NS, PROFILE_ID, invoice_ubl

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation(make_organisation):
    return make_organisation(peppol_id="0007:8024565783", registration_number="802456-5783")


@pytest.fixture
def invoice(place, make_product, staff_user):
    VatRate.objects.filter(country="SE", charge="admin_fee").update(
        category="E", rate=0, exemption_reason_code="VATEX-EU-132", exemption_reason="Exempt"
    )
    product = make_product(price="5.50", grant=3, admin_fee="2.00", name="Premium", sku="BP")
    order = place({product: 8})
    order_grant(order=order, decided_by=staff_user)
    return Invoice.objects.get(order=order)


def xpath(root, path):
    return root.xpath(path, namespaces={"cac": NS["cac"], "cbc": NS["cbc"]})


def amount(root, path) -> Decimal:
    (value,) = xpath(root, path)
    return Decimal(value.text)


def test_the_invoice_is_well_formed_ubl_with_the_bis_3_identifiers(invoice, settings):
    root = etree.fromstring(invoice_ubl(invoice))
    assert root.tag == f"{{{NS['invoice']}}}Invoice"
    assert xpath(root, "cbc:CustomizationID")[0].text == CUSTOMIZATION_ID
    assert xpath(root, "cbc:ProfileID")[0].text == PROFILE_ID
    assert xpath(root, "cbc:InvoiceTypeCode")[0].text == "380"
    assert xpath(root, "cbc:ID")[0].text == invoice.display_number
    assert xpath(root, "cbc:DocumentCurrencyCode")[0].text == "SEK"
    assert xpath(root, "cbc:BuyerReference")[0].text


def test_seller_and_buyer_carry_their_endpoints_with_the_scheme(invoice, settings):
    root = etree.fromstring(invoice_ubl(invoice))
    (seller,) = xpath(root, "cac:AccountingSupplierParty/cac:Party/cbc:EndpointID")
    (buyer,) = xpath(root, "cac:AccountingCustomerParty/cac:Party/cbc:EndpointID")
    scheme, _colon, identifier = settings.INVOICE_SELLER["PEPPOL_ID"].partition(":")
    assert (seller.get("schemeID"), seller.text) == (scheme, identifier)
    assert (buyer.get("schemeID"), buyer.text) == ("0007", "8024565783")
    vat = xpath(root, "cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID")
    assert vat[0].text == settings.INVOICE_SELLER["VAT_NUMBER"]
    payment_id = xpath(root, "cac:PaymentMeans/cbc:PaymentID")
    assert {p.text for p in payment_id} == {invoice.payment_reference}


def test_the_totals_add_up_and_vat_is_broken_down_by_category(invoice):
    root = etree.fromstring(invoice_ubl(invoice))
    lines = [Decimal(e.text) for e in xpath(root, "cac:InvoiceLine/cbc:LineExtensionAmount")]
    line_total = amount(root, "cac:LegalMonetaryTotal/cbc:LineExtensionAmount")
    tax_exclusive = amount(root, "cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount")
    tax = amount(root, "cac:TaxTotal/cbc:TaxAmount")
    tax_inclusive = amount(root, "cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount")
    payable = amount(root, "cac:LegalMonetaryTotal/cbc:PayableAmount")
    assert sum(lines) == line_total == tax_exclusive == invoice.net_total  # BR-CO-10
    assert tax_exclusive + tax == tax_inclusive == payable == invoice.total  # BR-CO-15
    subtotals = {
        xpath(s, "cac:TaxCategory/cbc:ID")[0].text: s
        for s in xpath(root, "cac:TaxTotal/cac:TaxSubtotal")
    }
    assert set(subtotals) == {"S", "E"}
    assert sum(amount(s, "cbc:TaxAmount") for s in subtotals.values()) == tax  # BR-CO-14
    standard = subtotals["S"]
    assert amount(standard, "cbc:TaxAmount") == (
        amount(standard, "cbc:TaxableAmount") * Decimal("0.25")
    ).quantize(Decimal("0.01"))  # BR-CO-17, rounded per category
    assert xpath(subtotals["E"], "cac:TaxCategory/cbc:TaxExemptionReasonCode")[0].text == (
        "VATEX-EU-132"
    )
    for line in xpath(root, "cac:InvoiceLine"):  # PEPPOL-EN16931-R120: quantity × price
        quantity = amount(line, "cbc:InvoicedQuantity")
        price = amount(line, "cac:Price/cbc:PriceAmount")
        assert abs(quantity * price - amount(line, "cbc:LineExtensionAmount")) <= Decimal("0.02")
        assert xpath(line, "cac:Item/cac:ClassifiedTaxCategory/cbc:ID")


def test_the_credit_note_is_a_ubl_credit_note_referring_to_the_invoice(invoice, staff_user):
    credit_note = credit_note_issue(invoice=invoice, reason="Twice.", issued_by=staff_user)
    root = etree.fromstring(
        invoice_ubl(Invoice.objects.get(pk=invoice.pk), credit_note=credit_note)
    )
    assert root.tag == f"{{{NS['creditnote']}}}CreditNote"
    assert xpath(root, "cbc:CreditNoteTypeCode")[0].text == "381"
    assert xpath(root, "cbc:CustomizationID")[0].text == CUSTOMIZATION_ID
    reference = xpath(root, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID")
    assert reference[0].text == invoice.display_number
    assert amount(root, "cac:LegalMonetaryTotal/cbc:PayableAmount") == invoice.total
    assert len(xpath(root, "cac:CreditNoteLine")) == invoice.lines.count()


def test_the_e_invoice_is_attached_to_the_mail_and_downloadable(invoice, holder, holder_client):
    message = OutboundEmail.objects.get(template="invoice-issued", to=holder.email)
    names = sorted(message.attachments.values_list("filename", flat=True))
    assert names == ["invoice-000001.pdf", "invoice-000001.xml"]
    response = holder_client.get(reverse("orders:invoice-ubl", args=[invoice.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/xml"
    etree.fromstring(response.content)


def test_without_a_peppol_id_there_is_no_e_invoice(
    place, make_product, staff_user, make_organisation, client, programme
):
    from tests.catalog.factories import CertificateFactory

    plain = make_organisation()
    CertificateFactory(organisation=plain, donor=programme.donor)
    order = place({make_product(price="5.00"): 5}, org=plain)
    order_grant(order=order, decided_by=staff_user)
    message = OutboundEmail.objects.get(template="invoice-issued", to=plain.account_holder.email)
    assert [a.filename for a in message.attachments.all()] == ["invoice-000001.pdf"]
    client.force_login(plain.account_holder)
    assert client.get(reverse("orders:invoice-ubl", args=[order.invoice.pk])).status_code == 404
