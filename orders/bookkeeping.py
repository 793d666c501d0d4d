"""The bookkeeping export: a period's invoices, credit notes and payments as one CSV.

One row per document or payment, dated by its own date; a credit note's amounts are negative,
so that a column sums to what the period left owing. A row names its columns; those a kind of
row does not have are left empty. SIE 4 is not written (see docs).
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


def _invoice_and_customer(invoice: Invoice) -> dict:
    """The columns every row has from its invoice: its number and the customer."""
    return {
        "invoice": invoice.display_number,
        "customer": invoice.customer_name,
        "registration_number": invoice.customer_registration_number,
    }


def _exchange_rate(invoice: Invoice) -> dict:
    return {
        "exchange_rate": invoice.exchange_rate,
        "exchange_rate_date": invoice.exchange_rate_on or "",
    }


def _invoice_row(invoice: Invoice) -> dict:
    return {
        "type": "invoice",
        "number": invoice.display_number,
        "date": invoice.issued_on,
        "due_date": invoice.due_on,
        **_invoice_and_customer(invoice),
        "currency": invoice.currency,
        "net": invoice.net_total,
        "vat": invoice.vat_total,
        "total": invoice.total,
        "paid": invoice.amount_paid,
        "balance": invoice.amount_due,
        "total_usd": invoice.total_usd,
        **_exchange_rate(invoice),
        "payment_reference": invoice.payment_reference,
    }


def _credit_note_row(credit_note: CreditNote) -> dict:
    """Negative amounts: the credit note takes back what its invoice charged."""
    return {
        "type": "credit_note",
        "number": credit_note.display_number,
        "date": credit_note.issued_on,
        **_invoice_and_customer(credit_note.invoice),
        "currency": credit_note.currency,
        "net": -credit_note.net_total,
        "vat": -credit_note.vat_total,
        "total": -credit_note.total,
        "total_usd": -credit_note.total_usd,
        **_exchange_rate(credit_note.invoice),
    }


def _payment_row(payment: Payment) -> dict:
    return {
        "type": "payment",
        "number": payment.reference,
        "date": payment.received_on,
        **_invoice_and_customer(payment.invoice),
        "currency": payment.currency,
        "paid": payment.amount,
        "payment_reference": payment.invoice.payment_reference,
    }


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
    kinds = ["invoice", "credit_note", "payment"]
    return sorted(rows, key=lambda row: (row["date"], kinds.index(row["type"])))


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
    writer = csv.DictWriter(output, fieldnames=COLUMNS, restval="")
    writer.writeheader()
    for row in bookkeeping_rows(date_from=date_from, date_to=date_to):
        writer.writerow({column: _cell(value) for column, value in row.items()})
    return output.getvalue()
