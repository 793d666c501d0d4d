"""A Swedish reader sees Swedish dates and amounts in the mail, on the page and in the PDF; the
donor API keeps ISO 8601 whatever the language (issue 13, item 3)."""

from datetime import UTC

import pytest
from django.urls import reverse
from django.utils import formats, translation

from clearinghouse.models import OutboundEmail
from orders.models import Invoice
from orders.services import order_grant
from tests.approval_codes.api_support import donor_with_key, issue, post
from tests.orders.pdf_text import pdf_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("todays_rates")]

SWEDISH_MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]


def _swedish(day) -> str:
    return f"{day.day} {SWEDISH_MONTHS[day.month - 1]} {day.year}"


@pytest.fixture
def swedish_invoice(place, make_product, organisation, staff_user):
    organisation.invoice_language = "sv"
    organisation.save(update_fields=["invoice_language"])
    holder = organisation.account_holder
    holder.language = "sv"
    holder.save(update_fields=["language"])
    order = place({make_product(price="5.00"): 5})  # 25 USD = 262.50 SEK + 65.63 VAT
    order_grant(order=order, decided_by=staff_user)
    return Invoice.objects.get()


def test_the_swedish_invoice_mail_writes_the_due_date_and_amount_the_swedish_way(swedish_invoice):
    body = OutboundEmail.objects.filter(template="invoice-issued").first().body_text
    assert "Att betala: 328,13 kr" in body
    assert f"Förfallodatum: {_swedish(swedish_invoice.due_on)}" in body
    assert str(swedish_invoice.due_on) not in body


def test_the_swedish_invoice_list_shows_swedish_amounts_and_dates(client, swedish_invoice):
    client.force_login(swedish_invoice.organisation.account_holder)
    page = client.get(reverse("orders:invoice-list")).content.decode()
    assert "328,13 kr" in page
    assert _swedish(swedish_invoice.issued_on) in page


def test_the_swedish_invoice_pdf_writes_amounts_with_a_decimal_comma(client, swedish_invoice):
    client.force_login(swedish_invoice.organisation.account_holder)
    response = client.get(reverse("orders:invoice-pdf", args=[swedish_invoice.pk]))
    text = pdf_text(response.content)
    assert "328,13 SEK" in text
    with translation.override("sv"):
        assert formats.date_format(swedish_invoice.due_on, "SHORT_DATE_FORMAT") in text


def test_the_donor_api_answers_iso_8601_to_a_swedish_caller(client, organisation):
    key = donor_with_key()[2]
    code = issue(organisation)
    response = post(client, "codes/verify", {"code": code.code}, key, **{"Accept-Language": "sv"})
    expires_at = response.json()["expires_at"]
    assert expires_at == code.expires_at.astimezone(UTC).isoformat(timespec="seconds")
    assert "december" not in response.content.decode() and "," not in expires_at
