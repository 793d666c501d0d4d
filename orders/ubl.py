"""The invoice or credit note as a UBL 2.1 document following Peppol BIS Billing 3.0 (R-INV-3).

Built with lxml from the issued snapshot, in the UBL schema's element order. What is checked
here: the BIS 3 customisation and profile ids, both parties' endpoints with their scheme, VAT
per category with exemption reasons, and totals that add up. Full validation against the
Peppol schematron is not done (its files are not on any package registry we use).
"""

import re
from decimal import Decimal

from lxml import etree

from orders.invoice_models import CreditNote, Invoice

CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
NS = {
    "invoice": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "creditnote": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
_POSTCODE_CITY = re.compile(r"^(?:[A-Z]{1,3}-)?(\d[\d ]{2,8}\d)\s+(.+)$")


def _cbc(parent, tag, text, **attributes):
    element = etree.SubElement(parent, f"{{{NS['cbc']}}}{tag}", **attributes)
    element.text = str(text)
    return element


def _cac(parent, tag):
    return etree.SubElement(parent, f"{{{NS['cac']}}}{tag}")


def _money(parent, tag, value: Decimal, currency: str):
    return _cbc(parent, tag, f"{value:.2f}", currencyID=currency)


def _split_address(text: str) -> dict:
    """Street, additional street, postcode and city from an address written as lines."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    address = {"street": lines[0] if lines else "", "additional": "", "postcode": "", "city": ""}
    if len(lines) > 1:
        match = _POSTCODE_CITY.match(lines[-1])
        if match:
            address["postcode"], address["city"] = match.group(1), match.group(2)
        else:
            address["city"] = lines[-1]
        if len(lines) > 2:
            address["additional"] = ", ".join(lines[1:-1])
    return address


def _endpoint(parent, peppol_id: str):
    scheme, _colon, identifier = peppol_id.partition(":")
    _cbc(parent, "EndpointID", identifier, schemeID=scheme)


def _party(parent, *, peppol_id, name, address, country, vat_number, registration, email):
    party = _cac(parent, "Party")
    _endpoint(party, peppol_id)
    _cbc(_cac(party, "PartyName"), "Name", name)
    parts = _split_address(address)
    postal = _cac(party, "PostalAddress")
    if parts["street"]:
        _cbc(postal, "StreetName", parts["street"])
    if parts["additional"]:
        _cbc(postal, "AdditionalStreetName", parts["additional"])
    if parts["city"]:
        _cbc(postal, "CityName", parts["city"])
    if parts["postcode"]:
        _cbc(postal, "PostalZone", parts["postcode"])
    _cbc(_cac(postal, "Country"), "IdentificationCode", country)
    if vat_number:
        tax_scheme = _cac(party, "PartyTaxScheme")
        _cbc(tax_scheme, "CompanyID", vat_number)
        _cbc(_cac(tax_scheme, "TaxScheme"), "ID", "VAT")
    legal = _cac(party, "PartyLegalEntity")
    _cbc(legal, "RegistrationName", name)
    if registration:
        _cbc(legal, "CompanyID", registration)
    if email:
        _cbc(_cac(party, "Contact"), "ElectronicMail", email)


def _tax_category(parent, tag, *, category, rate, reason_code="", reason=""):
    element = _cac(parent, tag)
    _cbc(element, "ID", category)
    if category != "O":  # BR-O-05: "not subject to VAT" carries no rate
        _cbc(element, "Percent", f"{rate:.2f}".rstrip("0").rstrip(".") or "0")
    if reason_code:
        _cbc(element, "TaxExemptionReasonCode", reason_code)
    if reason:
        _cbc(element, "TaxExemptionReason", reason)
    _cbc(_cac(element, "TaxScheme"), "ID", "VAT")
    return element


def _payment_means(root, invoice: Invoice):
    seller = invoice.seller
    accounts = []
    if invoice.customer_country == "SE" and seller.get("bankgiro"):
        accounts.append((re.sub(r"\D", "", seller["bankgiro"]), "SE:BANKGIRO"))
    if invoice.customer_country == "NO" and seller.get("no_account"):
        accounts.append((re.sub(r"\D", "", seller["no_account"]), ""))
    if seller.get("iban"):
        accounts.append((seller["iban"].replace(" ", ""), seller.get("bic", "")))
    for account, branch in accounts:
        means = _cac(root, "PaymentMeans")
        _cbc(means, "PaymentMeansCode", "30", name="Credit transfer")
        _cbc(means, "PaymentID", invoice.payment_reference)
        financial_account = _cac(means, "PayeeFinancialAccount")
        _cbc(financial_account, "ID", account)
        if branch:
            _cbc(_cac(financial_account, "FinancialInstitutionBranch"), "ID", branch)


def invoice_ubl(invoice: Invoice, *, credit_note: CreditNote | None = None) -> bytes:
    """The UBL 2.1 Invoice of `invoice`, or the CreditNote of `credit_note`, as UTF-8 bytes."""
    kind = "creditnote" if credit_note else "invoice"
    root = etree.Element(
        f"{{{NS[kind]}}}{'CreditNote' if credit_note else 'Invoice'}",
        nsmap={None: NS[kind], "cac": NS["cac"], "cbc": NS["cbc"]},
    )
    subtotals = list(invoice.vat_subtotals.all())
    _document_header(root, invoice, credit_note)
    _parties(root, invoice, outside_scope=any(row.category == "O" for row in subtotals))
    if not credit_note:
        _payment_means(root, invoice)
        _cbc(
            _cac(root, "PaymentTerms"),
            "Note",
            f"{(invoice.due_on - invoice.issued_on).days} days, "
            f"reference {invoice.payment_reference}",
        )
    _tax_and_totals(root, invoice, subtotals)
    _lines(root, invoice, credit=credit_note is not None)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _document_header(root, invoice: Invoice, credit_note: CreditNote | None) -> None:
    """The document's profile, number, dates, currency and references."""
    _cbc(root, "CustomizationID", CUSTOMIZATION_ID)
    _cbc(root, "ProfileID", PROFILE_ID)
    if credit_note:
        _cbc(root, "ID", credit_note.display_number)
        _cbc(root, "IssueDate", credit_note.issued_on.isoformat())
        _cbc(root, "CreditNoteTypeCode", "381")
        _cbc(root, "Note", credit_note.reason)
    else:
        _cbc(root, "ID", invoice.display_number)
        _cbc(root, "IssueDate", invoice.issued_on.isoformat())
        _cbc(root, "DueDate", invoice.due_on.isoformat())
        _cbc(root, "InvoiceTypeCode", "380")
        _cbc(
            root,
            "Note",
            f"USD {invoice.total_usd:.2f}; 1 USD = {invoice.exchange_rate.normalize()} "
            f"{invoice.currency} ({invoice.exchange_rate_on or invoice.issued_on})",
        )
    _cbc(root, "DocumentCurrencyCode", invoice.currency)
    _cbc(root, "BuyerReference", invoice.organisation.handle)
    if invoice.order_id:
        _cbc(_cac(root, "OrderReference"), "ID", invoice.order.number)
    if credit_note:
        reference = _cac(_cac(root, "BillingReference"), "InvoiceDocumentReference")
        _cbc(reference, "ID", invoice.display_number)
        _cbc(reference, "IssueDate", invoice.issued_on.isoformat())


def _parties(root, invoice: Invoice, *, outside_scope: bool) -> None:
    """The seller (without its VAT number when the supply is outside the scope of VAT) and the
    customer."""
    seller = invoice.seller
    _party(
        _cac(root, "AccountingSupplierParty"),
        peppol_id=seller.get("peppol_id", ""),
        name=seller.get("name", ""),
        address=seller.get("address", ""),
        country=seller.get("country", "SE"),
        vat_number="" if outside_scope else seller.get("vat_number", ""),  # BR-O-02
        registration=seller.get("registration_number", ""),
        email=seller.get("email", ""),
    )
    _party(
        _cac(root, "AccountingCustomerParty"),
        peppol_id=invoice.customer_peppol_id,
        name=invoice.customer_name,
        address=invoice.addressee_address,
        country=invoice.customer_country,
        vat_number="",
        registration=invoice.customer_registration_number,
        email=invoice.addressee_email,
    )


def _tax_and_totals(root, invoice: Invoice, subtotals) -> None:
    currency = invoice.currency
    tax_total = _cac(root, "TaxTotal")
    _money(tax_total, "TaxAmount", invoice.vat_total, currency)
    for row in subtotals:
        subtotal = _cac(tax_total, "TaxSubtotal")
        _money(subtotal, "TaxableAmount", row.taxable_amount, currency)
        _money(subtotal, "TaxAmount", row.tax_amount, currency)
        _tax_category(
            subtotal,
            "TaxCategory",
            category=row.category,
            rate=row.rate,
            reason_code=row.exemption_reason_code,
            reason=row.exemption_reason,
        )
    totals = _cac(root, "LegalMonetaryTotal")
    _money(totals, "LineExtensionAmount", invoice.net_total, currency)
    _money(totals, "TaxExclusiveAmount", invoice.net_total, currency)
    _money(totals, "TaxInclusiveAmount", invoice.total, currency)
    _money(totals, "PayableAmount", invoice.total, currency)


def _lines(root, invoice: Invoice, *, credit: bool) -> None:
    currency = invoice.currency
    line_name, quantity_name = (
        ("CreditNoteLine", "CreditedQuantity") if credit else ("InvoiceLine", "InvoicedQuantity")
    )
    for number, line in enumerate(invoice.lines.all(), start=1):
        element = _cac(root, line_name)
        _cbc(element, "ID", number)
        _cbc(element, quantity_name, line.quantity, unitCode="C62")
        _money(element, "LineExtensionAmount", line.amount_local, currency)
        item = _cac(element, "Item")
        _cbc(item, "Description", line.get_charge_display())
        _cbc(item, "Name", line.description)
        _cbc(_cac(item, "SellersItemIdentification"), "ID", line.sku)
        _tax_category(item, "ClassifiedTaxCategory", category=line.vat_category, rate=line.vat_rate)
        price = _cac(element, "Price")
        _cbc(price, "PriceAmount", f"{line.unit_price_local.normalize():f}", currencyID=currency)
