"""The bookkeeping export: a period's invoices, credit notes and payments as one CSV.

One row per document or payment, dated by its own date; a credit note's amounts are negative,
so that a column sums to what the period left owing. SIE 4 is not written (see docs).
"""

import csv
import io
from datetime import date
from decimal import Decimal

from orders.invoice_models import CreditNote, Invoice, Payment

COLUMNS = [
    "type",
    "number",
    "date",
    "due_date",
    "invoice",
    "customer",
    "registration_number",
    "currency",
    "net",
    "vat",
    "total",
    "paid",
    "balance",
    "total_usd",
    "exchange_rate",
    "exchange_rate_date",
    "payment_reference",
]


def _invoice_and_customer(invoice: Invoice) -> list:
    """The columns every row has from its invoice: its number and the customer."""
    return [invoice.display_number, invoice.customer_name, invoice.customer_registration_number]


def _invoice_row(invoice: Invoice) -> list:
    return [
        "invoice",
        invoice.display_number,
        invoice.issued_on,
        invoice.due_on,
        *_invoice_and_customer(invoice),
        invoice.currency,
        invoice.net_total,
        invoice.vat_total,
        invoice.total,
        invoice.amount_paid,
        invoice.amount_due,
        invoice.total_usd,
        invoice.exchange_rate,
        invoice.exchange_rate_on or "",
        invoice.payment_reference,
    ]


def _credit_note_row(credit_note: CreditNote) -> list:
    invoice = credit_note.invoice
    return [
        "credit_note",
        credit_note.display_number,
        credit_note.issued_on,
        "",
        *_invoice_and_customer(invoice),
        credit_note.currency,
        -credit_note.net_total,
        -credit_note.vat_total,
        -credit_note.total,
        "",
        "",
        -credit_note.total_usd,
        invoice.exchange_rate,
        invoice.exchange_rate_on or "",
        "",
    ]


def _payment_row(payment: Payment) -> list:
    invoice = payment.invoice
    return [
        "payment",
        payment.reference,
        payment.received_on,
        "",
        *_invoice_and_customer(invoice),
        payment.currency,
        "",
        "",
        "",
        payment.amount,
        "",
        "",
        "",
        "",
        invoice.payment_reference,
    ]


def bookkeeping_rows(*, date_from: date, date_to: date):
    invoices = (
        Invoice.objects.filter(issued_on__range=(date_from, date_to))
        .select_related("credit_note")
        .order_by("issued_on", "number")
    )
    credit_notes = (
        CreditNote.objects.filter(issued_on__range=(date_from, date_to))
        .select_related("invoice")
        .order_by("issued_on", "number")
    )
    payments = (
        Payment.objects.filter(received_on__range=(date_from, date_to))
        .select_related("invoice")
        .order_by("received_on", "id")
    )
    rows = [
        *(_invoice_row(i) for i in invoices),
        *(_credit_note_row(c) for c in credit_notes),
        *(_payment_row(p) for p in payments),
    ]
    return sorted(
        rows, key=lambda row: (row[2], ["invoice", "credit_note", "payment"].index(row[0]))
    )


def _cell(value) -> str:
    if isinstance(value, Decimal):
        return (
            f"{value:.6f}".rstrip("0").rstrip(".") if value.as_tuple().exponent < -2 else str(value)
        )
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


def bookkeeping_csv(*, date_from: date, date_to: date) -> str:
    """UTF-8 CSV (with a BOM, so that spreadsheet programs read å, ä, ö), comma-separated,
    dot as the decimal mark, ISO dates. Text that a spreadsheet would run as a formula is
    quoted with a leading apostrophe."""
    output = io.StringIO()
    output.write("\ufeff")
    writer = csv.writer(output)
    writer.writerow(COLUMNS)
    for row in bookkeeping_rows(date_from=date_from, date_to=date_to):
        writer.writerow([_cell(value) for value in row])
    return output.getvalue()
