"""The mail of orders and invoices: one function per message, named after it. Each goes to
everyone who receives the message's category of mail (`accounts.emails.send_to_organisation`)
and is recorded in the caller's transaction (delivered after commit)."""

from accounts.emails import send_to_organisation
from accounts.models import MessageCategory
from accounts.selectors import payment_confirmation_recipients
from clearinghouse.mail import send_email


def _orders_mail(organisation, *, name: str, context: dict) -> None:
    """To everyone who receives the order messages of `organisation`."""
    send_to_organisation(
        organisation=organisation, category=MessageCategory.ORDERS, name=name, context=context
    )


def email_order_placed(order) -> None:
    _orders_mail(
        order.organisation,
        name="order-placed",
        context={"order": order, "lines": list(order.lines.all())},
    )


def email_order_status_changed(order, *, reason: str = "") -> None:
    _orders_mail(
        order.organisation, name="order-status-changed", context={"order": order, "reason": reason}
    )


def email_licence_usage_reminder(organisation, *, report, reason: str) -> None:
    """R-MS-6: licence use below the threshold, or no recent usage report."""
    _orders_mail(
        organisation,
        name="order-licence-usage-reminder",
        context={"report": report, "reason": reason},
    )


def _email_invoice_document(invoice, *, name: str, credit_note=None, **context) -> None:
    """An invoice, reminder or credit note to the recipients of invoice messages, with its PDF
    (and for an account with a Peppol ID its UBL e-invoice) attached, and the essentials in
    the body: a billing contact may have no login (R-CON-4)."""
    from orders.invoice_documents import document_attachments, payment_details

    send_to_organisation(
        organisation=invoice.organisation,
        category=MessageCategory.INVOICES,
        name=name,
        context={
            "invoice": invoice,
            "credit_note": credit_note,
            "payment_details": payment_details(invoice),
            **context,
        },
        attachments=document_attachments(invoice=invoice, credit_note=credit_note),
    )


def email_invoice_issued(invoice, *, lines) -> None:
    _email_invoice_document(invoice, name="invoice-issued", lines=lines)


def email_invoice_reminder(invoice, *, days_overdue: int) -> None:
    """R-INV-2: 7 and 21 days after the due date."""
    _email_invoice_document(invoice, name="invoice-reminder", days_overdue=days_overdue)


def email_credit_note_issued(invoice, *, credit_note) -> None:
    """R-INV-2: the credit note that cancels `invoice`."""
    _email_invoice_document(invoice, name="credit-note-issued", credit_note=credit_note)


def email_invoice_payment_received(invoice, *, payment) -> None:
    """To the payment confirmations' recipients the organisation chose."""
    for email, language in payment_confirmation_recipients(organisation=invoice.organisation):
        send_email(
            name="invoice-payment-received",
            to=email,
            language=language,
            context={"organisation": invoice.organisation, "invoice": invoice, "payment": payment},
        )


def email_subscription_renewing(subscription, *, days: int) -> None:
    """30, 15 and 5 days before a subscription renews."""
    _orders_mail(
        subscription.organisation,
        name="order-subscription-renewing",
        context={"subscription": subscription, "days": days},
    )


def email_credit_ending(subscription, *, days: int) -> None:
    """30 days before a credit ends."""
    _orders_mail(
        subscription.organisation,
        name="order-credit-ending",
        context={"subscription": subscription, "days": days},
    )
