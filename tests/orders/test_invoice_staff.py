"""Staff: paid / due / overdue in admin, the rates, and the bookkeeping export as CSV."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from orders.invoicing import credit_note_issue, payment_record
from orders.models import ExchangeRate, Invoice
from orders.services import order_grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoices(place, make_product, staff_user):
    """Three invoices: the first paid, the second credited, the third unpaid."""
    made = []
    for _ in range(3):
        order = place({make_product(price="5.00"): 5})
        order_grant(order=order, decided_by=staff_user)
        made.append(order.invoice)
    payment_record(
        invoice=made[0],
        amount=made[0].total,
        currency="SEK",
        received_on=timezone.localdate(),
        reference="BG 1",
        recorded_by=staff_user,
    )
    credit_note_issue(invoice=made[1], reason="Ordered twice.", issued_by=staff_user)
    return made


def _listed(staff_client, status):
    url = reverse("admin:orders_invoice_changelist") + f"?payment={status}"
    response = staff_client.get(url)
    assert response.status_code == 200, response.get("Location")
    return {invoice.number for invoice in response.context["cl"].result_list}


def test_staff_filter_invoices_by_paid_due_overdue_and_credited(staff_client, invoices):
    assert _listed(staff_client, "paid") == {1}
    assert _listed(staff_client, "credited") == {2}
    assert _listed(staff_client, "due") == {3}
    assert _listed(staff_client, "overdue") == set()
    yesterday = timezone.localdate() - timedelta(days=1)
    Invoice.objects.filter(number=3).update(due_on=yesterday)  # as if 31 days had passed
    assert _listed(staff_client, "overdue") == {3}
    assert _listed(staff_client, "due") == set()


def test_staff_enter_an_exchange_rate_in_admin(staff_client, staff_user):
    response = staff_client.post(
        reverse("admin:orders_exchangerate_add"),
        {"currency": "dkk", "valid_on": timezone.localdate().isoformat(), "rate": "6.9"},
    )
    assert response.status_code == 302
    rate = ExchangeRate.objects.get(currency="DKK")
    assert (rate.rate, rate.entered_by) == (Decimal("6.9"), staff_user)


def test_a_second_rate_for_the_same_day_in_lower_case_gets_a_message_not_an_error(
    staff_client,
):
    """R-MS-8: one rate a day per currency; "sek" is SEK, so the form says it exists."""
    day = timezone.localdate()
    ExchangeRate.objects.filter(valid_on=day, currency="SEK").delete()
    ExchangeRate.objects.create(currency="SEK", valid_on=day, rate=Decimal("10.5"))
    response = staff_client.post(
        reverse("admin:orders_exchangerate_add"),
        {"currency": " sek ", "valid_on": day.isoformat(), "rate": "10.6"},
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert ExchangeRate.objects.get(currency="SEK", valid_on=day).rate == Decimal("10.5")


def _export(staff_client, **period):
    response = staff_client.get(reverse("admin:orders_invoice_export"), period)
    assert response.status_code == 200
    return response


def test_the_export_holds_the_periods_invoices_credit_notes_and_payments(staff_client, invoices):
    today = timezone.localdate().isoformat()
    response = _export(staff_client, date_from=today, date_to=today)
    assert response["Content-Type"] == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    kinds = [(row["type"], row["invoice"]) for row in rows]
    assert kinds == [
        ("invoice", "000001"),
        ("invoice", "000002"),
        ("invoice", "000003"),
        ("credit_note", "000002"),
        ("payment", "000001"),
    ]
    first = rows[0]
    assert (first["currency"], first["net"], first["vat"], first["total"]) == (
        "SEK",
        "262.50",
        "65.63",
        "328.13",
    )
    assert (first["paid"], first["balance"], first["total_usd"], first["exchange_rate"]) == (
        "328.13",
        "0.00",
        "31.25",
        "10.5",
    )
    assert rows[3]["total"] == "-328.13" and rows[3]["number"] == "K000001"
    assert rows[4]["paid"] == "328.13" and rows[4]["payment_reference"] == "00000182"
    assert first["registration_number"] and first["customer"]


def test_the_columns_a_kind_of_row_does_not_have_are_empty(staff_client, invoices):
    today = timezone.localdate().isoformat()
    response = _export(staff_client, date_from=today, date_to=today)
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    credit_note, payment = rows[3], rows[4]
    assert [credit_note[c] for c in ("due_date", "paid", "balance", "payment_reference")] == [
        ""
    ] * 4
    assert credit_note["exchange_rate"] == "10.5"
    lacking = ("due_date", "net", "vat", "total", "balance", "total_usd", "exchange_rate")
    assert [payment[c] for c in lacking] == [""] * len(lacking)


def test_an_export_of_another_period_is_empty_but_has_its_header(staff_client, invoices):
    response = _export(staff_client, date_from="2001-01-01", date_to="2001-12-31")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines == [lines[0]] and lines[0].startswith("type,number,date,due_date")


def test_a_period_that_ends_before_it_starts_gets_a_message(staff_client):
    response = _export(staff_client, date_from="2026-02-01", date_to="2026-01-01")
    assert "must end on or after" in response.content.decode()


def test_text_a_spreadsheet_would_run_is_defused(
    staff_client, place, make_product, staff_user, organisation
):
    organisation.legal_name = "=HYPERLINK(1)"
    organisation.save()
    order = place({make_product(price="5.00"): 5})
    order_grant(order=order, decided_by=staff_user)
    today = timezone.localdate().isoformat()
    body = _export(staff_client, date_from=today, date_to=today).content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in body
