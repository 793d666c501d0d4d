"""The donor's decisions (R-MS-5, R-MS-12), invoices (R-CON-5, R-CON-6) and payments (R-CON-7)."""

from datetime import date
from decimal import Decimal

import pytest
from django.template import TemplateSyntaxError

from accounts.selectors import payment_confirmation_recipients
from accounts.services import organisation_billing_update
from clearinghouse.models import AuditEvent, OutboundEmail
from orders import invoicing
from orders.errors import InvalidPayment, ReasonRequired, TransitionNotAllowed
from orders.models import Invoice, Order
from orders.services import order_cancel, order_fulfil, order_grant, order_refuse
from tests.accounts.factories import ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(place, make_product):
    """3 + 2 licences: 3 granted of a grant of 3 and 2 paid at 5.80 (exempt from the minimum,
    which counts discounted licences only: R-MS-2)."""
    premium = make_product(price="5.50", grant=3, name="Business Premium", sku="BP")
    e3 = make_product(price="5.80", name="Office 365 E3", sku="E3", exempt_from_minimum=True)
    return place({premium: 3, e3: 2})


def test_granting_moves_the_order_issues_an_invoice_and_tells_the_organisation(
    order, staff_user, holder
):
    order_grant(order=order, decided_by=staff_user)
    order.refresh_from_db()
    assert order.status == Order.Status.GRANTED
    assert order.decided_by == staff_user
    invoice = order.invoice
    # 11.60 USD at 10.5 SEK/USD is 121.80 SEK, and 25 % VAT on it (R-MS-8, R-INV-1).
    assert (invoice.net_total_usd, invoice.currency) == (Decimal("11.60"), "SEK")
    assert (invoice.net_total, invoice.vat_total, invoice.total) == (
        Decimal("121.80"),
        Decimal("30.45"),
        Decimal("152.25"),
    )
    assert [(line.charge, line.quantity, line.amount) for line in invoice.lines.all()] == [
        ("granted", 3, Decimal("0.00")),
        ("paid", 2, Decimal("11.60")),
    ]
    templates = set(OutboundEmail.objects.values_list("template", flat=True))
    assert {"order-status-changed", "invoice-issued"} <= templates
    assert AuditEvent.objects.filter(verb="orders.order_granted").exists()
    assert AuditEvent.objects.filter(verb="orders.invoice_issued").exists()


def test_refusing_needs_a_reason_and_shows_it(order, staff_user):
    with pytest.raises(ReasonRequired):
        order_refuse(order=order, decided_by=staff_user, reason="  ")
    order.refresh_from_db()
    assert order.status == Order.Status.SUBMITTED
    order_refuse(order=order, decided_by=staff_user, reason="Outside the programme's scope.")
    order.refresh_from_db()
    assert (order.status, order.refusal_reason) == ("refused", "Outside the programme's scope.")
    mail = OutboundEmail.objects.filter(template="order-status-changed").get()
    assert "Outside the programme's scope." in mail.body_text
    assert not Invoice.objects.exists()


def test_a_granted_order_can_be_fulfilled_but_not_cancelled(order, staff_user, holder):
    order_grant(order=order, decided_by=staff_user)
    with pytest.raises(TransitionNotAllowed):
        order_cancel(order=order, cancelled_by=holder)
    order_fulfil(order=order, actor=staff_user)
    order.refresh_from_db()
    assert order.status == Order.Status.FULFILLED and order.fulfilled_at


def test_nothing_can_be_returned_after_fulfilment(order, staff_user, holder):
    order_grant(order=order, decided_by=staff_user)
    order_fulfil(order=order, actor=staff_user)
    with pytest.raises(TransitionNotAllowed, match="cannot be cancelled or returned"):
        order_cancel(order=order, cancelled_by=holder)


@pytest.mark.parametrize("first", ["refuse", "cancel"])
def test_a_refused_or_cancelled_order_cannot_be_granted_later(order, staff_user, holder, first):
    if first == "refuse":
        order_refuse(order=order, decided_by=staff_user, reason="No.")
    else:
        order_cancel(order=order, cancelled_by=holder)
    with pytest.raises(TransitionNotAllowed):
        order_grant(order=order, decided_by=staff_user)


def test_a_submitted_order_cannot_be_fulfilled_before_it_is_granted(order, staff_user):
    with pytest.raises(TransitionNotAllowed):
        order_fulfil(order=order, actor=staff_user)


# Invoices


def test_invoices_are_numbered_without_gaps(place, make_product, staff_user):
    product = make_product(price="5.00")
    orders = [place({product: 5}) for _ in range(3)]
    for order in orders:
        order_grant(order=order, decided_by=staff_user)
    assert sorted(Invoice.objects.values_list("number", flat=True)) == [1, 2, 3]


def test_a_grant_that_fails_gives_its_invoice_number_back(
    place, make_product, staff_user, settings, tmp_path
):
    product = make_product(price="5.00")
    first, second = place({product: 5}), place({product: 5})
    # A broken invoice mail template (found before the real one) fails the grant after the
    # invoice has taken its number.
    (tmp_path / "emails").mkdir()
    (tmp_path / "emails" / "invoice-issued-subject.txt").write_text("{% if %}broken")
    real_templates = settings.TEMPLATES
    settings.TEMPLATES = [{**real_templates[0], "DIRS": [tmp_path, *real_templates[0]["DIRS"]]}]
    with pytest.raises(TemplateSyntaxError):
        order_grant(order=first, decided_by=staff_user)
    settings.TEMPLATES = real_templates
    first.refresh_from_db()
    assert first.status == Order.Status.SUBMITTED
    order_grant(order=second, decided_by=staff_user)
    assert Invoice.objects.get().number == 1


def test_the_invoice_is_addressed_to_the_main_contact_until_a_billing_contact_is_chosen(
    order, staff_user, holder, organisation
):
    holder.first_name, holder.last_name = "Astrid", "Holder"
    holder.save()
    order_grant(order=order, decided_by=staff_user)
    invoice = Invoice.objects.get()
    assert invoice.addressee_name == "Astrid Holder"
    assert invoice.addressee_email == holder.email
    assert invoice.addressee_organisation == organisation.legal_name
    assert invoice.addressee_address == organisation.address


def _choose_billing_contact(organisation, holder, *, peppol_id=""):
    billing = ContactFactory(
        organisation=organisation, first_name="Bo", last_name="Billing", email="bo@example.org"
    )
    organisation_billing_update(
        organisation=organisation,
        actor=holder,
        billing_contact=billing,
        peppol_id=peppol_id,
        payment_confirmations_to_main_contact_only=False,
    )
    return billing


def test_the_billing_contact_chosen_under_my_details_is_on_the_invoice(
    order, staff_user, holder, organisation
):
    """R-CON-5."""
    _choose_billing_contact(organisation, holder)
    order_grant(order=order, decided_by=staff_user)
    invoice = Invoice.objects.get()
    assert (invoice.addressee_name, invoice.addressee_email) == ("Bo Billing", "bo@example.org")


def test_with_a_peppol_id_the_main_contact_is_on_the_invoice_whatever_billing_contact(
    order, staff_user, holder, organisation
):
    """R-CON-6."""
    _choose_billing_contact(organisation, holder, peppol_id="0007:5567212047")
    order_grant(order=order, decided_by=staff_user)
    assert Invoice.objects.get().addressee_email == holder.email


def test_later_edits_never_change_an_issued_invoice(order, staff_user, holder, organisation):
    order_grant(order=order, decided_by=staff_user)
    holder.first_name = "Changed"
    holder.save()
    organisation.address = "New street 9"
    organisation.save()
    order.lines.update(name="Renamed")
    invoice = Invoice.objects.get()
    assert "Changed" not in invoice.addressee_name
    assert invoice.addressee_address != "New street 9"
    assert {line.description for line in invoice.lines.all()} == {
        "Business Premium",
        "Office 365 E3",
    }


# Payments


def test_recording_payments_settles_the_invoice(order, staff_user):
    order_grant(order=order, decided_by=staff_user)
    invoice = Invoice.objects.get()
    invoicing.payment_record(
        invoice=invoice,
        amount=Decimal("5.00"),
        currency="SEK",
        received_on=date.today(),
        recorded_by=staff_user,
    )
    invoice.refresh_from_db()
    assert (invoice.amount_due, invoice.is_paid) == (Decimal("147.25"), False)
    invoicing.payment_record(
        invoice=invoice,
        amount=Decimal("147.25"),
        currency="SEK",
        received_on=date.today(),
        recorded_by=staff_user,
    )
    invoice.refresh_from_db()
    assert invoice.is_paid and invoice.paid_at


@pytest.mark.parametrize(
    ("amount", "currency"),
    [(Decimal("0"), "SEK"), (Decimal("-1"), "SEK"), (Decimal("152.26"), "SEK"), (1, "USD")],
)
def test_a_payment_of_nothing_more_than_is_due_or_in_another_currency_is_refused(
    order, staff_user, amount, currency
):
    order_grant(order=order, decided_by=staff_user)
    invoice = Invoice.objects.get()
    with pytest.raises(InvalidPayment):
        invoicing.payment_record(
            invoice=invoice,
            amount=Decimal(amount),
            currency=currency,
            received_on=date.today(),
            recorded_by=staff_user,
        )
    invoice.refresh_from_db()
    assert invoice.amount_paid == 0 and not invoice.payments.exists()


def test_the_payment_confirmation_goes_to_the_payment_confirmation_recipients(
    order, staff_user, holder, organisation
):
    """R-CON-7: `payment_confirmation_recipients` decides (main contact only, or the invoice
    recipients); each of them gets one confirmation."""
    ContactFactory(
        organisation=organisation, email="finance@example.org", language="sv", email_invoices=True
    )
    order_grant(order=order, decided_by=staff_user)
    recipients = [(holder.email, holder.language), ("finance@example.org", "sv")]
    assert sorted(payment_confirmation_recipients(organisation=organisation)) == sorted(recipients)
    invoicing.payment_record(
        invoice=Invoice.objects.get(),
        amount=Decimal("152.25"),
        currency="SEK",
        received_on=date.today(),
        recorded_by=staff_user,
    )
    confirmations = OutboundEmail.objects.filter(template="invoice-payment-received")
    assert sorted(confirmations.values_list("to", "language")) == sorted(recipients)


def test_by_default_the_payment_confirmation_goes_to_the_main_contact(order, staff_user, holder):
    order_grant(order=order, decided_by=staff_user)
    invoicing.payment_record(
        invoice=Invoice.objects.get(),
        amount=Decimal("1.00"),
        currency="SEK",
        received_on=date.today(),
        recorded_by=staff_user,
    )
    confirmation = OutboundEmail.objects.get(template="invoice-payment-received")
    assert confirmation.to == holder.email
    assert "Still due: 151.25 SEK" in confirmation.body_text
