"""The files an invoice or credit note travels as: its PDF, and for an account with a Peppol ID
its UBL e-invoice (R-CON-4, R-INV-3). Both are drawn from the issued snapshot, so they read the
same whenever they are made."""

from django.utils.translation import gettext_lazy as _

from clearinghouse.mail import Attachment
from orders.invoice_models import CreditNote, Invoice
from orders.payment_reference import reference_kind


def payment_details(invoice: Invoice) -> list[tuple[str, str]]:
    """(label, value) of how to pay, for the customer's country: bankgiro and OCR number in
    Sweden, the Norwegian account and KID number in Norway, IBAN and BIC with an RF reference
    elsewhere (IBAN and BIC are printed for everyone who has them). The reference comes last."""
    seller = invoice.seller
    kind = reference_kind(invoice.customer_country)
    details = []
    if kind == "OCR" and seller.get("bankgiro"):
        details.append((_("Bankgiro"), seller["bankgiro"]))
    if kind == "KID" and seller.get("no_account"):
        details.append((_("Account number"), seller["no_account"]))
    if seller.get("iban"):
        details.append(("IBAN", seller["iban"]))
    if seller.get("bic"):
        details.append(("BIC", seller["bic"]))
    label = {"OCR": _("OCR number"), "KID": _("KID number")}.get(kind, _("Payment reference"))
    details.append((label, invoice.payment_reference))
    return details


def document_filename(*, invoice: Invoice, credit_note: CreditNote | None, extension: str) -> str:
    if credit_note is not None:
        return f"credit-note-{credit_note.display_number}.{extension}"
    return f"invoice-{invoice.display_number}.{extension}"


def document_attachments(*, invoice: Invoice, credit_note: CreditNote | None = None):
    from orders.invoice_pdf import invoice_pdf

    attachments = [
        Attachment(
            filename=document_filename(invoice=invoice, credit_note=credit_note, extension="pdf"),
            content=invoice_pdf(invoice, credit_note=credit_note),
            content_type="application/pdf",
        )
    ]
    if invoice.customer_peppol_id:
        from orders.ubl import invoice_ubl

        attachments.append(
            Attachment(
                filename=document_filename(
                    invoice=invoice, credit_note=credit_note, extension="xml"
                ),
                content=invoice_ubl(invoice, credit_note=credit_note),
                content_type="application/xml",
            )
        )
    return attachments
