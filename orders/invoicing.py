"""Invoices, payments, credit notes and reminders (R-INV-1 … R-INV-3, R-CON-4 … R-CON-7, R-MS-8).

Other apps issue invoices through `invoice_issue(organisation=…, items=[InvoiceItem(…)], …)`;
a granted order through `invoice_issue_for_order`. Every amount is priced in USD and converted
once, at issue, at the latest exchange rate staff entered on or before the invoice date.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation
from accounts.selectors import invoice_addressee
from clearinghouse.audit import record_event
from orders.emails import (
    email_credit_note_issued,
    email_invoice_issued,
    email_invoice_payment_received,
    email_invoice_reminder,
)
from orders.errors import CreditNoteNotAllowed, InvalidPayment, InvoiceNotIssuable
from orders.invoice_models import (
    ChargeKind,
    CreditNote,
    Invoice,
    InvoiceLine,
    InvoiceReminder,
    InvoiceSequence,
    InvoiceVatSubtotal,
    Payment,
    VatRate,
)
from orders.payment_reference import payment_reference
from orders.rates import (
    USD,
    country_name,
    exchange_rate_is_stale,
    exchange_rate_on,
    local_currency,
    vat_rate_on,
)

CENT = Decimal("0.01")
REMINDER_DAYS = (7, 21)  # after the due date (R-INV-2; the days are our choice)


def money(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class InvoiceItem:
    """One line to invoice, priced in USD before VAT. `amount` defaults to quantity × price."""

    description: str
    sku: str
    quantity: int
    unit_price: Decimal
    charge: str = InvoiceLine.Charge.PAID
    amount: Decimal | None = None

    @property
    def amount_usd(self) -> Decimal:
        return money(self.amount if self.amount is not None else self.quantity * self.unit_price)

    @property
    def vat_charge(self) -> str:
        return (
            ChargeKind.ADMIN_FEE
            if self.charge == InvoiceLine.Charge.ADMIN_FEE
            else (ChargeKind.PRODUCT)
        )


def _next_number(series: str) -> int:
    """Lock the series' row and take the next number. Inside the caller's transaction, so a
    rolled-back document gives its number back: the numbers have no gaps."""
    InvoiceSequence.objects.get_or_create(series=series)
    sequence = InvoiceSequence.objects.select_for_update().get(series=series)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return sequence.last_number


def order_invoice_items(order) -> list[InvoiceItem]:
    """The lines of a granted order's invoice: granted (free), paid, and the admin fee."""
    items = []
    for line in order.lines.all():
        if line.granted_quantity:
            items.append(
                InvoiceItem(
                    line.name,
                    line.sku,
                    line.granted_quantity,
                    Decimal("0.00"),
                    InvoiceLine.Charge.GRANTED,
                    Decimal("0.00"),
                )
            )
        if line.paid_quantity:
            items.append(
                InvoiceItem(
                    line.name,
                    line.sku,
                    line.paid_quantity,
                    line.billed_unit_price,
                    InvoiceLine.Charge.PAID,
                    line.paid_amount,
                )
            )
        if line.granted_quantity and line.admin_fee_amount:
            items.append(
                InvoiceItem(
                    line.name,
                    line.sku,
                    line.granted_quantity,
                    line.admin_fee_per_unit,
                    InvoiceLine.Charge.ADMIN_FEE,
                    line.admin_fee_amount,
                )
            )
    return items


@dataclass
class _Rates:
    currency: str
    exchange_rate: Decimal
    exchange_rate_on: date | None
    vat: dict[str, VatRate]


def _rates_for(*, organisation: Organisation, items: Sequence[InvoiceItem], day: date) -> _Rates:
    """The exchange rate and VAT rates the invoice needs, or `InvoiceNotIssuable` naming each
    one that is missing or too old (R-MS-8)."""
    problems = []
    currency = local_currency(organisation.country)
    rate, rate_on = Decimal("1"), None
    if currency != USD:
        entry = exchange_rate_on(currency=currency, day=day)
        if entry is None:
            problems.append(
                _("There is no exchange rate for USD to %(currency)s on or before %(day)s.")
                % {"currency": currency, "day": day.isoformat()}
            )
        elif exchange_rate_is_stale(entry, day=day):
            problems.append(
                _(
                    "The latest exchange rate for USD to %(currency)s is from %(rate_day)s, more "
                    "than %(days)s days before the invoice date %(day)s."
                )
                % {
                    "currency": currency,
                    "rate_day": entry.valid_on.isoformat(),
                    "days": settings.INVOICE_EXCHANGE_RATE_MAX_AGE_DAYS,
                    "day": day.isoformat(),
                }
            )
        else:
            rate, rate_on = entry.rate, entry.valid_on
    vat = {}
    for charge in sorted({item.vat_charge for item in items}):
        entry = vat_rate_on(country=organisation.country, charge=charge, day=day)
        if entry is None:
            problems.append(
                _("There is no VAT rate for %(what)s to customers in %(country)s on %(day)s.")
                % {
                    "what": ChargeKind(charge).label.lower(),
                    "country": country_name(organisation.country),
                    "day": day.isoformat(),
                }
            )
        else:
            vat[charge] = entry
    if problems:
        problems.append(_("Add it under Invoices in admin; nothing was issued."))
        raise InvoiceNotIssuable(*problems)
    return _Rates(currency, rate, rate_on, vat)


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
        rates = _rates_for(organisation=organisation, items=items, day=today)
        addressee = invoice_addressee(organisation=organisation)
        number = _next_number(InvoiceSequence.INVOICE)
        lines, subtotals = [], defaultdict(lambda: [Decimal(0), Decimal(0), None])
        for item in items:
            vat = rates.vat[item.vat_charge]
            unit_price_local = (item.unit_price * rates.exchange_rate).quantize(
                Decimal("0.0001"), rounding=ROUND_HALF_UP
            )
            # Quantity × local price, so that a line adds up as BIS 3 checks it (R120), unless
            # the caller priced the line otherwise (a pro-rata amount): then amount × rate.
            if item.amount_usd == money(item.quantity * item.unit_price):
                amount_local = money(item.quantity * unit_price_local)
            else:
                amount_local = money(item.amount_usd * rates.exchange_rate)
            line = InvoiceLine(
                charge=item.charge,
                description=item.description,
                sku=item.sku,
                quantity=item.quantity,
                unit_price=money(item.unit_price),
                amount=item.amount_usd,
                unit_price_local=unit_price_local,
                amount_local=amount_local,
                vat_category=vat.category,
                vat_rate=vat.rate,
            )
            lines.append(line)
            subtotal = subtotals[(vat.category, vat.rate)]
            subtotal[0] += line.amount_local
            subtotal[1] += line.amount
            subtotal[2] = vat
        vat_rows = [
            InvoiceVatSubtotal(
                category=category,
                rate=rate,
                exemption_reason_code=vat.exemption_reason_code,
                exemption_reason=vat.exemption_reason,
                taxable_amount=taxable,
                tax_amount=money(taxable * rate / 100),
                taxable_amount_usd=taxable_usd,
                tax_amount_usd=money(taxable_usd * rate / 100),
            )
            for (category, rate), (taxable, taxable_usd, vat) in sorted(subtotals.items())
        ]
        net_usd = sum((line.amount for line in lines), Decimal("0.00"))
        net = sum((line.amount_local for line in lines), Decimal("0.00"))
        vat_usd = sum((row.tax_amount_usd for row in vat_rows), Decimal("0.00"))
        vat_local = sum((row.tax_amount for row in vat_rows), Decimal("0.00"))
        invoice = Invoice.objects.create(
            order=order,
            organisation=organisation,
            number=number,
            issued_on=today,
            due_on=today + timedelta(days=settings.INVOICE_PAYMENT_TERMS_DAYS),
            language=organisation.invoice_language_code,
            seller=_seller_snapshot(),
            customer_name=organisation.legal_name,
            customer_registration_number=organisation.registration_number,
            customer_country=str(organisation.country),
            customer_peppol_id=organisation.peppol_id,
            addressee_name=addressee.name,
            addressee_email=addressee.email,
            addressee_organisation=addressee.organisation_name,
            addressee_address=addressee.address,
            addressee_country=addressee.country,
            payment_reference=payment_reference(number=number, country=str(organisation.country)),
            currency=rates.currency,
            exchange_rate=rates.exchange_rate,
            exchange_rate_on=rates.exchange_rate_on,
            paid_total=sum(
                (i.amount_usd for i in items if i.charge != InvoiceLine.Charge.ADMIN_FEE),
                Decimal("0.00"),
            ),
            admin_fee_total=sum(
                (i.amount_usd for i in items if i.charge == InvoiceLine.Charge.ADMIN_FEE),
                Decimal("0.00"),
            ),
            net_total_usd=net_usd,
            vat_total_usd=vat_usd,
            total_usd=net_usd + vat_usd,
            net_total=net,
            vat_total=vat_local,
            total=net + vat_local,
            paid_at=timezone.now() if net + vat_local == 0 else None,
        )
        for row in (*lines, *vat_rows):
            row.invoice = invoice
        InvoiceLine.objects.bulk_create(lines)
        InvoiceVatSubtotal.objects.bulk_create(vat_rows)
        record_event(
            actor=actor,
            verb="orders.invoice_issued",
            target=invoice,
            organisation=organisation,
            data={
                "number": invoice.number,
                "total": str(invoice.total),
                "currency": invoice.currency,
                "total_usd": str(invoice.total_usd),
                "to": addressee.email,
            },
        )
        email_invoice_issued(invoice, lines=lines)
    return invoice


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
        invoice = (
            Invoice.objects.select_for_update().select_related("organisation").get(pk=invoice.pk)
        )
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
                    "due": invoice.amount_due,
                    "currency": invoice.currency,
                }
            )
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
        record_event(
            actor=recorded_by,
            verb="orders.payment_recorded",
            target=invoice,
            organisation=invoice.organisation,
            data={"amount": str(amount), "currency": invoice.currency, "reference": reference},
        )
        email_invoice_payment_received(invoice, payment=payment)
    return payment


# --- Credit notes (R-INV-2) -------------------------------------------------------------------


def credit_note_issue(
    *, invoice: Invoice, reason: str, issued_by, today: date | None = None
) -> CreditNote:
    """Cancel `invoice` by a credit note for its full amount, numbered in its own series; the
    invoice itself is never edited. Crediting the invoice of an order not yet fulfilled cancels
    the order, which gives its allotment back; after fulfilment the allotment stays used."""
    from orders.models import Order
    from orders.services import order_transition

    today = today or timezone.localdate()
    reason = (reason or "").strip()
    if not reason:
        raise CreditNoteNotAllowed(_("Give the reason for the credit note."))
    with transaction.atomic():
        invoice = (
            Invoice.objects.select_for_update().select_related("organisation").get(pk=invoice.pk)
        )
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
        order = invoice.order
        if order is not None and order.status == Order.Status.GRANTED:
            order_transition(order=order, to=Order.Status.CANCELLED, actor=issued_by, reason=reason)
            credit_note.order_cancelled = True
            credit_note.save(update_fields=["order_cancelled"])
        record_event(
            actor=issued_by,
            verb="orders.credit_note_issued",
            target=invoice,
            organisation=invoice.organisation,
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
    sent = 0
    for invoice_id in list(candidates):
        with transaction.atomic():
            invoice = (
                Invoice.objects.unpaid()
                .select_for_update(skip_locked=True, of=("self",))
                .filter(pk=invoice_id)
                .select_related("organisation")
                .first()
            )
            if invoice is None:
                continue
            reached = [d for d in REMINDER_DAYS if invoice.due_on + timedelta(days=d) <= today]
            done = set(invoice.reminders.values_list("days_overdue", flat=True))
            stage = max(reached)
            if stage in done:
                continue
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
                continue
            email_invoice_reminder(invoice, days_overdue=(today - invoice.due_on).days)
            record_event(
                actor=None,
                verb="orders.invoice_reminded",
                target=invoice,
                organisation=invoice.organisation,
                data={"days_overdue": stage, "balance": str(invoice.amount_due)},
            )
            sent += 1
    return sent
