"""Invoices, payments, credit notes and reminders (R-INV-1 … R-INV-3, R-CON-4 … R-CON-7, R-MS-8).

Other apps issue invoices through `invoice_issue(organisation=…, items=[InvoiceItem(…)], …)`;
a granted order through `invoice_issue_for_order`. Every amount is priced in USD and converted
once, at issue, at the latest exchange rate staff entered on or before the invoice date (the
pricing is `orders.invoice_pricing`'s).
"""

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation
from accounts.selectors import InvoiceAddressee, invoice_addressee
from clearinghouse.audit import record_event_about
from clearinghouse.l10n import amount as amount_text
from clearinghouse.l10n import currency_label
from orders.emails import (
    email_credit_note_issued,
    email_invoice_issued,
    email_invoice_payment_received,
    email_invoice_reminder,
)
from orders.errors import CreditNoteNotAllowed, InvalidPayment
from orders.invoice_models import (
    CreditNote,
    Invoice,
    InvoiceLine,
    InvoiceReminder,
    InvoiceSequence,
    InvoiceVatSubtotal,
    Payment,
)
from orders.invoice_pricing import (
    InvoiceItem,
    order_invoice_items,
    priced_lines,
    rates_for,
    vat_subtotals,
)
from orders.payment_reference import payment_reference

__all__ = [
    "InvoiceItem",
    "credit_note_issue",
    "invoice_issue",
    "invoice_issue_for_order",
    "invoice_reminders_send",
    "payment_record",
]

REMINDER_DAYS = (7, 21)  # after the due date (R-INV-2; the days are our choice)


def _next_number(series: str) -> int:
    """Lock the series' row and take the next number. Inside the caller's transaction, so a
    rolled-back document gives its number back: the numbers have no gaps."""
    InvoiceSequence.objects.get_or_create(series=series)
    sequence = InvoiceSequence.objects.select_for_update().get(series=series)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return sequence.last_number


def _seller_snapshot() -> dict:
    return {key.lower(): value for key, value in settings.INVOICE_SELLER.items()}


def invoice_issue(
    *,
    actor,
    organisation: Organisation | None = None,
    items: Sequence[InvoiceItem] | None = None,
    order=None,
    today: date | None = None,
) -> Invoice:
    """Issue an invoice of `items` to `organisation` (or of a granted `order`'s lines to its
    organisation): numbered without gaps, addressed, taxed and converted once and for all,
    mailed with its PDF to the recipients of invoice messages (R-INV-1, R-CON-4). Raises
    `InvoiceNotIssuable` (nothing saved) when a rate is missing or too old."""
    today = today or timezone.localdate()
    if items is None:
        items = order_invoice_items(order)
    organisation = organisation or order.organisation
    with transaction.atomic():
        rates = rates_for(organisation=organisation, items=items, day=today)
        addressee = invoice_addressee(organisation=organisation)
        number = _next_number(InvoiceSequence.INVOICE)
        lines = priced_lines(items, rates)
        vat_rows = vat_subtotals(lines, rates)
        totals = _totals(items, lines, vat_rows)
        invoice = Invoice.objects.create(
            order=order,
            organisation=organisation,
            number=number,
            issued_on=today,
            due_on=today + timedelta(days=settings.INVOICE_PAYMENT_TERMS_DAYS),
            language=organisation.invoice_language_code,
            seller=_seller_snapshot(),
            **_customer_and_addressee(organisation, addressee),
            payment_reference=payment_reference(number=number, country=str(organisation.country)),
            currency=rates.currency,
            exchange_rate=rates.exchange_rate,
            exchange_rate_on=rates.exchange_rate_on,
            **totals,
            paid_at=timezone.now() if totals["total"] == 0 else None,
        )
        for row in (*lines, *vat_rows):
            row.invoice = invoice
        InvoiceLine.objects.bulk_create(lines)
        InvoiceVatSubtotal.objects.bulk_create(vat_rows)
        _invoice_issued_record(invoice, actor=actor)
        email_invoice_issued(invoice, lines=lines)
    return invoice


def _invoice_issued_record(invoice: Invoice, *, actor) -> None:
    record_event_about(
        invoice,
        verb="orders.invoice_issued",
        actor=actor,
        data={
            "number": invoice.number,
            "total": str(invoice.total),
            "currency": invoice.currency,
            "total_usd": str(invoice.total_usd),
            "to": invoice.addressee_email,
        },
    )


def _customer_and_addressee(organisation: Organisation, addressee: InvoiceAddressee) -> dict:
    """The customer's and the addressee's details, copied onto the invoice as they are today."""
    return {
        "customer_name": organisation.legal_name,
        "customer_registration_number": organisation.registration_number,
        "customer_country": str(organisation.country),
        "customer_peppol_id": organisation.peppol_id,
        "addressee_name": addressee.name,
        "addressee_email": addressee.email,
        "addressee_organisation": addressee.organisation_name,
        "addressee_address": addressee.address,
        "addressee_country": addressee.country,
    }


def _totals(items, lines, vat_rows) -> dict:
    """The invoice's totals, in USD and in the local currency."""
    zero = Decimal("0.00")
    net_usd = sum((line.amount for line in lines), zero)
    net = sum((line.amount_local for line in lines), zero)
    vat_usd = sum((row.tax_amount_usd for row in vat_rows), zero)
    vat_local = sum((row.tax_amount for row in vat_rows), zero)
    admin_fee = InvoiceLine.Charge.ADMIN_FEE
    return {
        "paid_total": sum((i.amount_usd for i in items if i.charge != admin_fee), zero),
        "admin_fee_total": sum((i.amount_usd for i in items if i.charge == admin_fee), zero),
        "net_total_usd": net_usd,
        "vat_total_usd": vat_usd,
        "total_usd": net_usd + vat_usd,
        "net_total": net,
        "vat_total": vat_local,
        "total": net + vat_local,
    }


def invoice_issue_for_order(*, order, actor, today: date | None = None) -> Invoice:
    """The invoice of a granted order (called in the grant's transaction)."""
    return invoice_issue(
        organisation=order.organisation,
        items=order_invoice_items(order),
        actor=actor,
        order=order,
        today=today,
    )


# --- Payments ---------------------------------------------------------------------------------


def payment_record(
    *,
    invoice: Invoice,
    amount: Decimal,
    currency: str,
    received_on: date,
    reference: str = "",
    recorded_by,
) -> Payment:
    """Staff record a payment in the invoice's currency; the confirmation goes to the
    payment-confirmation recipients (the main contact only, when the organisation chose so:
    R-CON-7). A payment above the balance, of nothing, or in another currency is refused."""
    with transaction.atomic():
        invoice = _locked(invoice)
        _payment_check(invoice, amount=amount, currency=currency)
        payment = Payment.objects.create(
            invoice=invoice,
            amount=amount,
            currency=invoice.currency,
            received_on=received_on,
            reference=reference,
            recorded_by=recorded_by,
        )
        invoice.amount_paid += amount
        if invoice.amount_due == 0:
            invoice.paid_at = timezone.now()
        invoice.save(update_fields=["amount_paid", "paid_at"])
        record_event_about(
            invoice,
            verb="orders.payment_recorded",
            actor=recorded_by,
            data={"amount": str(amount), "currency": invoice.currency, "reference": reference},
        )
        email_invoice_payment_received(invoice, payment=payment)
    return payment


def _locked(invoice: Invoice) -> Invoice:
    """The invoice read again under its row lock (with its organisation)."""
    return Invoice.objects.select_for_update().select_related("organisation").get(pk=invoice.pk)


def _payment_check(invoice: Invoice, *, amount: Decimal, currency: str) -> None:
    """Refuse a payment of nothing, in another currency, on a credited invoice, or above the
    balance."""
    if amount is None or amount <= 0:
        raise InvalidPayment(_("Enter an amount greater than zero."))
    if (currency or "").upper() != invoice.currency:
        raise InvalidPayment(
            _("Invoice %(number)s is in %(currency)s; record the payment in %(currency)s.")
            % {"number": invoice.display_number, "currency": invoice.currency}
        )
    if invoice.is_credited:
        raise InvalidPayment(
            _("Invoice %(number)s is credited; nothing is due on it.")
            % {"number": invoice.display_number}
        )
    if amount > invoice.amount_due:
        raise InvalidPayment(
            _("The amount is more than is due on invoice %(number)s (%(due)s %(currency)s).")
            % {
                "number": invoice.display_number,
                "due": amount_text(invoice.amount_due),
                "currency": currency_label(invoice.currency),
            }
        )


# --- Credit notes (R-INV-2) -------------------------------------------------------------------


def credit_note_issue(
    *, invoice: Invoice, reason: str, issued_by, today: date | None = None
) -> CreditNote:
    """Cancel `invoice` by a credit note for its full amount, numbered in its own series; the
    invoice itself is never edited. Crediting the invoice of an order not yet fulfilled cancels
    the order, which gives its allotment back; after fulfilment the allotment stays used."""
    today = today or timezone.localdate()
    reason = (reason or "").strip()
    if not reason:
        raise CreditNoteNotAllowed(_("Give the reason for the credit note."))
    with transaction.atomic():
        invoice = _locked(invoice)
        if CreditNote.objects.filter(invoice=invoice).exists():
            raise CreditNoteNotAllowed(
                _("Invoice %(number)s is already credited.") % {"number": invoice.display_number}
            )
        credit_note = CreditNote.objects.create(
            invoice=invoice,
            number=_next_number(InvoiceSequence.CREDIT_NOTE),
            issued_on=today,
            reason=reason,
            issued_by=issued_by,
            currency=invoice.currency,
            net_total=invoice.net_total,
            vat_total=invoice.vat_total,
            total=invoice.total,
            total_usd=invoice.total_usd,
        )
        _credited_order_cancel(credit_note, actor=issued_by, reason=reason)
        record_event_about(
            invoice,
            verb="orders.credit_note_issued",
            actor=issued_by,
            data={
                "number": credit_note.number,
                "total": str(credit_note.total),
                "currency": credit_note.currency,
                "reason": reason,
                "order_cancelled": credit_note.order_cancelled,
            },
        )
        invoice = Invoice.objects.select_related("organisation", "credit_note").get(pk=invoice.pk)
        email_credit_note_issued(invoice, credit_note=credit_note)
    return credit_note


def _credited_order_cancel(credit_note: CreditNote, *, actor, reason: str) -> None:
    """A credited invoice's order not yet fulfilled is cancelled (its allotment comes back)."""
    from orders.models import Order
    from orders.services import order_transition
    from orders.services_subscriptions import subscriptions_take_back_order

    order = credit_note.invoice.order
    if order is not None and order.status == Order.Status.GRANTED:
        order_transition(order=order, to=Order.Status.CANCELLED, actor=actor, reason=reason)
        subscriptions_take_back_order(order=order, actor=actor)
        credit_note.order_cancelled = True
        credit_note.save(update_fields=["order_cancelled"])


# --- Reminders (R-INV-2) ----------------------------------------------------------------------


def invoice_reminders_send(*, today: date | None = None) -> int:
    """Remind the recipients of invoice messages 7 and 21 days after the due date, each once,
    until the invoice is paid in full or credited. Safe to run twice at once: a reminder is a
    row with a unique (invoice, stage), and the invoice row is locked (SKIP LOCKED) while it is
    sent. A stage missed while the job did not run is recorded as skipped, so only the latest
    due reminder goes out. Returns how many were sent."""
    today = today or timezone.localdate()
    first = today - timedelta(days=min(REMINDER_DAYS))
    candidates = (
        Invoice.objects.unpaid()
        .filter(due_on__lte=first)
        .exclude(reminders__days_overdue=max(REMINDER_DAYS))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return sum(_reminder_send(invoice_id, today=today) for invoice_id in list(candidates))


@transaction.atomic
def _reminder_send(invoice_id: int, *, today: date) -> bool:
    """Send the invoice's latest due reminder, unless another runner holds the invoice or has
    sent it; the stages it passed over are recorded as skipped. Whether it was sent."""
    invoice = (
        Invoice.objects.unpaid()
        .select_for_update(skip_locked=True, of=("self",))
        .filter(pk=invoice_id)
        .select_related("organisation")
        .first()
    )
    if invoice is None:
        return False
    reached = [d for d in REMINDER_DAYS if invoice.due_on + timedelta(days=d) <= today]
    done = set(invoice.reminders.values_list("days_overdue", flat=True))
    stage = max(reached)
    if stage in done:
        return False
    try:
        with transaction.atomic():
            InvoiceReminder.objects.bulk_create(
                [
                    InvoiceReminder(invoice=invoice, days_overdue=d, skipped=d != stage)
                    for d in reached
                    if d not in done
                ]
            )
    except IntegrityError:  # another runner recorded it a moment ago
        return False
    email_invoice_reminder(invoice, days_overdue=(today - invoice.due_on).days)
    record_event_about(
        invoice,
        verb="orders.invoice_reminded",
        actor=None,
        data={"days_overdue": stage, "balance": str(invoice.amount_due)},
    )
    return True
