"""Payment reminders (R-INV-2): 7 and 21 days after the due date, to the recipients of invoice
messages, each once, and none once the invoice is paid in full or credited."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from clearinghouse.models import OutboundEmail
from orders.invoicing import credit_note_issue, invoice_reminders_send, payment_record
from orders.models import Invoice, InvoiceReminder
from orders.services import order_grant
from orders.tasks import invoice_reminders_send as invoice_reminders_task
from tests.accounts.factories import ContactFactory
from tests.concurrency import run_in_parallel

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice(place, make_product, staff_user):
    order = place({make_product(price="5.00"): 5})
    order_grant(order=order, decided_by=staff_user)
    return Invoice.objects.get(order=order)


def reminders():
    return OutboundEmail.objects.filter(template="invoice-reminder")


def days_after_due(invoice, days):
    return invoice.due_on + timedelta(days=days)


def test_reminders_go_7_and_21_days_after_the_due_date_each_once(invoice, holder, organisation):
    ContactFactory(organisation=organisation, email="treasurer@example.org", email_invoices=True)
    assert invoice_reminders_send(today=days_after_due(invoice, 6)) == 0
    assert invoice_reminders_send(today=days_after_due(invoice, 7)) == 1
    assert invoice_reminders_send(today=days_after_due(invoice, 8)) == 0
    assert sorted(reminders().values_list("to", flat=True)) == [
        holder.email,
        "treasurer@example.org",
    ]
    assert invoice_reminders_send(today=days_after_due(invoice, 21)) == 1
    assert invoice_reminders_send(today=days_after_due(invoice, 40)) == 0
    assert reminders().count() == 4
    assert list(invoice.reminders.values_list("days_overdue", "skipped")) == [
        (7, False),
        (21, False),
    ]


def test_the_reminder_carries_the_balance_and_the_invoice_attached(invoice, holder, staff_user):
    payment_record(
        invoice=invoice,
        amount=Decimal("100.00"),
        currency="SEK",
        received_on=timezone.localdate(),
        recorded_by=staff_user,
    )
    invoice_reminders_send(today=days_after_due(invoice, 7))
    message = reminders().get(to=holder.email)
    assert "overdue" in message.subject
    assert "Received so far: 100.00 SEK" in message.body_text
    assert "Amount to pay: 228.13 SEK" in message.body_text  # 328.13 - 100.00
    assert message.attachments.get().filename == "invoice-000001.pdf"


def test_no_reminder_once_the_invoice_is_paid_in_full(invoice, staff_user):
    invoice_reminders_send(today=days_after_due(invoice, 7))
    payment_record(
        invoice=invoice,
        amount=invoice.total,
        currency="SEK",
        received_on=timezone.localdate(),
        recorded_by=staff_user,
    )
    assert invoice_reminders_send(today=days_after_due(invoice, 21)) == 0
    assert list(invoice.reminders.values_list("days_overdue", flat=True)) == [7]


def test_no_reminder_for_a_credited_invoice(invoice, staff_user):
    credit_note_issue(invoice=invoice, reason="Cancelled.", issued_by=staff_user)
    assert invoice_reminders_send(today=days_after_due(invoice, 7)) == 0


def test_a_job_that_missed_the_first_reminder_sends_only_the_latest(invoice):
    assert invoice_reminders_send(today=days_after_due(invoice, 25)) == 1
    assert list(invoice.reminders.values_list("days_overdue", "skipped")) == [
        (7, True),
        (21, False),
    ]
    assert invoice_reminders_send(today=days_after_due(invoice, 26)) == 0


def test_the_command_and_the_task_run_the_same_job(invoice, time_machine_to_overdue):
    call_command("invoice_reminders_send")
    assert InvoiceReminder.objects.filter(days_overdue=7).count() == 1
    assert invoice_reminders_task.delay().get() == 0


@pytest.fixture
def time_machine_to_overdue(invoice):
    import time_machine

    with time_machine.travel(timezone.now() + timedelta(days=38)):
        yield


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runners_at_once_send_each_reminder_once(place, make_product, staff_user):
    from tests.orders.rates import invoice_rates

    invoice_rates()
    for _ in range(3):
        order = place({make_product(price="5.00"): 5})
        order_grant(order=order, decided_by=staff_user)
    day = Invoice.objects.first().due_on + timedelta(days=7)
    results, _errors = run_in_parallel(lambda n: invoice_reminders_send(today=day), 2)
    assert sum(results) == 3
    assert InvoiceReminder.objects.count() == 3
