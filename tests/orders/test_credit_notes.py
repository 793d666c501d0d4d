"""Credit notes (R-INV-2): an issued invoice is cancelled only by a credit note for its full
amount, in its own gapless series, mailed like an invoice; an unfulfilled order is cancelled and
its allotment given back, a fulfilled one keeps it used."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from clearinghouse.models import AuditEvent, OutboundEmail
from orders.errors import CreditNoteNotAllowed, InvalidPayment
from orders.invoicing import credit_note_issue, payment_record
from orders.models import CreditNote, Invoice, Order
from orders.selectors import catalogue_for
from orders.services import order_fulfil, order_grant
from tests.orders.pdf_text import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def product(make_product):
    return make_product(price="5.00", grant=10, admin_fee="1.00", name="Windows Pro", sku="WIN")


@pytest.fixture
def invoice(place, product, staff_user):
    """10 granted Windows Pro (of a grant of 10) with the admin fee, and 5 paid."""
    order = place({product: 15})
    order_grant(order=order, decided_by=staff_user)
    return Invoice.objects.get(order=order)


def _fields(invoice):
    return {
        field.name: getattr(invoice, field.name)
        for field in Invoice._meta.concrete_fields
        if field.name != "id"
    }


def test_a_credit_note_cancels_the_full_amount_and_leaves_the_invoice_untouched(
    invoice, staff_user
):
    before = _fields(Invoice.objects.get(pk=invoice.pk))
    lines_before = list(invoice.lines.values())
    credit_note = credit_note_issue(invoice=invoice, reason="Ordered twice.", issued_by=staff_user)
    after = Invoice.objects.get(pk=invoice.pk)
    assert _fields(after) == before
    assert list(after.lines.values()) == lines_before
    assert (credit_note.total, credit_note.vat_total, credit_note.currency) == (
        invoice.total,
        invoice.vat_total,
        invoice.currency,
    )
    assert after.is_credited and after.amount_due == 0
    assert after.status_on(timezone.localdate()) == Invoice.Status.CREDITED
    assert AuditEvent.objects.filter(verb="orders.credit_note_issued").exists()


def test_credit_notes_have_their_own_gapless_series(place, product, staff_user):
    invoices = []
    for _ in range(3):
        order = place({product: 5})
        order_grant(order=order, decided_by=staff_user)
        invoices.append(order.invoice)
    first = credit_note_issue(invoice=invoices[2], reason="a", issued_by=staff_user)
    second = credit_note_issue(invoice=invoices[0], reason="b", issued_by=staff_user)
    assert [first.number, second.number] == [1, 2]
    assert [i.number for i in invoices] == [1, 2, 3]
    assert first.display_number == "K000001"


def test_crediting_an_unfulfilled_order_cancels_it_and_gives_the_allotment_back(
    invoice, staff_user, organisation, programme, product
):
    def grant_left():
        (section,) = catalogue_for(
            organisation=organisation, day=timezone.localdate(), programme=programme
        )
        return next(row.grant_left for row in section.rows if row.product == product)

    assert grant_left() == 0
    credit_note = credit_note_issue(invoice=invoice, reason="Not needed.", issued_by=staff_user)
    invoice.order.refresh_from_db()
    assert invoice.order.status == Order.Status.CANCELLED and credit_note.order_cancelled
    assert grant_left() == 10


def test_after_fulfilment_the_allotment_stays_used(invoice, staff_user):
    order_fulfil(order=invoice.order, actor=staff_user)
    credit_note = credit_note_issue(invoice=invoice, reason="Goodwill.", issued_by=staff_user)
    invoice.order.refresh_from_db()
    assert invoice.order.status == Order.Status.FULFILLED and not credit_note.order_cancelled


def test_an_invoice_is_credited_only_once(invoice, staff_user):
    credit_note_issue(invoice=invoice, reason="Once.", issued_by=staff_user)
    with pytest.raises(CreditNoteNotAllowed, match="already credited"):
        credit_note_issue(invoice=invoice, reason="Twice.", issued_by=staff_user)
    assert CreditNote.objects.count() == 1


def test_a_credit_note_needs_a_reason(invoice, staff_user):
    with pytest.raises(CreditNoteNotAllowed):
        credit_note_issue(invoice=invoice, reason="  ", issued_by=staff_user)
    assert not CreditNote.objects.exists()


def test_a_credited_invoice_takes_no_payment(invoice, staff_user):
    credit_note_issue(invoice=invoice, reason="Cancelled.", issued_by=staff_user)
    with pytest.raises(InvalidPayment, match="credited"):
        payment_record(
            invoice=invoice,
            amount=Decimal("1.00"),
            currency=invoice.currency,
            received_on=timezone.localdate(),
            recorded_by=staff_user,
        )


def test_the_credit_note_is_mailed_with_its_pdf(invoice, staff_user, holder):
    credit_note_issue(invoice=invoice, reason="Ordered twice.", issued_by=staff_user)
    message = OutboundEmail.objects.get(template="credit-note-issued", to=holder.email)
    assert "Credit note K000001" in message.subject
    assert "Ordered twice." in message.body_text
    (attachment,) = message.attachments.all()
    text = pdf_text(bytes(attachment.content))
    assert "Credit note" in text and "K000001" in text and "000001" in text


def test_staff_credit_in_admin_after_confirming(staff_client, invoice):
    url = reverse("admin:orders_invoice_credit", args=[invoice.pk])
    page = staff_client.get(url).content.decode()
    assert "will be cancelled and its allotment given back" in page
    response = staff_client.post(url, {"reason": "Ordered twice."})
    assert response.status_code == 200 and not CreditNote.objects.exists()  # not confirmed
    response = staff_client.post(url, {"reason": "Ordered twice.", "confirm": "on"})
    assert response.status_code == 302 and CreditNote.objects.get().invoice == invoice
    again = staff_client.post(url, {"reason": "Again.", "confirm": "on"})
    assert "already credited" in again.content.decode()


def test_the_organisation_sees_the_credit_note_with_the_invoice(holder_client, invoice, staff_user):
    credit_note_issue(invoice=invoice, reason="Ordered twice.", issued_by=staff_user)
    page = holder_client.get(reverse("orders:invoice-detail", args=[invoice.pk])).content.decode()
    assert "cancelled by credit note K000001" in page
    response = holder_client.get(reverse("orders:credit-note-pdf", args=[invoice.pk]))
    assert response.status_code == 200 and "K000001" in pdf_text(response.content)
