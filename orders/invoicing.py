"""Invoices and payments (R-CON-4 … R-CON-7, R-MS-8, R-MS-10)."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import invoice_addressee
from clearinghouse.audit import record_event
from orders.emails import email_invoice_issued, email_invoice_payment_received
from orders.errors import InvalidPayment
from orders.models import Invoice, InvoiceLine, InvoiceSequence, Order, Payment

PAYMENT_TERMS = timedelta(days=30)


def _next_invoice_number() -> int:
    """Lock the one sequence row and take the next number. Inside the caller's transaction, so
    a rolled-back invoice gives its number back: the numbers have no gaps."""
    sequence, _created = InvoiceSequence.objects.get_or_create(pk=1)
    sequence = InvoiceSequence.objects.select_for_update().get(pk=sequence.pk)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return sequence.last_number


def _invoice_lines(order: Order):
    for line in order.lines.all():
        if line.granted_quantity:
            yield InvoiceLine(
                charge=InvoiceLine.Charge.GRANTED,
                description=line.name,
                sku=line.sku,
                quantity=line.granted_quantity,
                unit_price=Decimal("0.00"),
                amount=Decimal("0.00"),
            )
        if line.paid_quantity:
            yield InvoiceLine(
                charge=InvoiceLine.Charge.PAID,
                description=line.name,
                sku=line.sku,
                quantity=line.paid_quantity,
                unit_price=line.billed_unit_price,
                amount=line.paid_amount,
            )
        if line.granted_quantity and line.admin_fee_amount:
            yield InvoiceLine(
                charge=InvoiceLine.Charge.ADMIN_FEE,
                description=line.name,
                sku=line.sku,
                quantity=line.granted_quantity,
                unit_price=line.admin_fee_per_unit,
                amount=line.admin_fee_amount,
            )


def invoice_issue(*, order: Order, actor, today: date | None = None) -> Invoice:
    """Issue the invoice of a granted order, addressed and priced once and for all."""
    today = today or timezone.localdate()
    with transaction.atomic():
        addressee = invoice_addressee(organisation=order.organisation)
        invoice = Invoice.objects.create(
            order=order,
            organisation=order.organisation,
            number=_next_invoice_number(),
            issued_on=today,
            due_on=today + PAYMENT_TERMS,
            addressee_name=addressee.name,
            addressee_email=addressee.email,
            addressee_organisation=addressee.organisation_name,
            addressee_address=addressee.address,
            addressee_country=addressee.country,
            paid_total=order.paid_total,
            admin_fee_total=order.admin_fee_total,
            total=order.total,
            paid_at=timezone.now() if order.total == 0 else None,
        )
        lines = list(_invoice_lines(order))
        for line in lines:
            line.invoice = invoice
        InvoiceLine.objects.bulk_create(lines)
        record_event(
            actor=actor,
            verb="orders.invoice_issued",
            target=invoice,
            organisation=order.organisation,
            data={"number": invoice.number, "total": str(invoice.total), "to": addressee.email},
        )
        email_invoice_issued(invoice, lines=lines)
    return invoice


def payment_record(
    *, invoice: Invoice, amount: Decimal, received_on: date, reference: str = "", recorded_by
) -> Payment:
    """Staff record a payment; the confirmation goes to the payment-confirmation recipients
    (the main contact only, when the organisation chose so: R-CON-7)."""
    with transaction.atomic():
        invoice = (
            Invoice.objects.select_for_update().select_related("organisation").get(pk=invoice.pk)
        )
        if amount is None or amount <= 0:
            raise InvalidPayment(_("Enter an amount greater than zero."))
        if amount > invoice.amount_due:
            raise InvalidPayment(
                _("The amount is more than is due on invoice %(number)s (%(due)s USD).")
                % {"number": invoice.display_number, "due": invoice.amount_due}
            )
        payment = Payment.objects.create(
            invoice=invoice,
            amount=amount,
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
            data={"amount": str(amount), "reference": reference},
        )
        email_invoice_payment_received(invoice, payment=payment)
    return payment
