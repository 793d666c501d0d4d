"""The PDF travels with the mail (R-CON-4): a billing contact without a login gets the invoice
itself, with its essentials in the body; the PDF and page are in the invoice language."""

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Organisation
from accounts.services import organisation_billing_update
from clearinghouse.mail import email_deliver
from clearinghouse.models import OutboundEmail
from orders.invoice_pdf import invoice_pdf
from orders.models import Invoice
from orders.services import order_grant
from tests.accounts.factories import ContactFactory
from tests.orders.pdf_text import pdf_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("todays_rates")]


@pytest.fixture
def order(place, make_product):
    return place({make_product(price="5.00"): 5})  # 25 USD = 262.50 SEK + 65.63 VAT


@pytest.fixture
def billing_contact(organisation):
    """Seed 002's billing contact: no login, "Invoice messages" ticked, on the invoice."""
    contact = ContactFactory(
        organisation=organisation,
        first_name="Bo",
        last_name="Billing",
        email="bo@example.org",
        email_invoices=True,
    )
    organisation_billing_update(
        organisation=organisation,
        actor=organisation.account_holder,
        billing_contact=contact,
        peppol_id="",
        payment_confirmations_to_main_contact_only=False,
    )
    return contact


def test_a_billing_contact_without_a_login_receives_the_invoice_pdf_attached(
    order, staff_user, billing_contact, settings
):
    assert billing_contact.user_id is None
    order_grant(order=order, decided_by=staff_user)
    invoice = Invoice.objects.get()
    message = OutboundEmail.objects.get(template="invoice-issued", to="bo@example.org")
    (attachment,) = message.attachments.all()
    assert (attachment.filename, attachment.content_type) == (
        "invoice-000001.pdf",
        "application/pdf",
    )
    text = pdf_text(bytes(attachment.content))
    assert settings.INVOICE_SELLER["NAME"] in text
    assert invoice.payment_reference in text and "Bo Billing" in text
    assert "328.13 SEK" in text


def test_the_mail_body_holds_amount_due_date_reference_and_how_to_pay(
    order, staff_user, billing_contact, settings
):
    order_grant(order=order, decided_by=staff_user)
    invoice = Invoice.objects.get()
    body = OutboundEmail.objects.get(template="invoice-issued", to="bo@example.org").body_text
    assert "Amount to pay: 328.13 SEK" in body
    assert f"Due date: {invoice.due_on:%Y-%m-%d}" in body
    assert f"OCR number: {invoice.payment_reference}" in body
    assert f"Bankgiro: {settings.INVOICE_SELLER['BANKGIRO']}" in body
    assert "Priced in USD: 31.25 USD, at 1 USD = 10.5 SEK" in body


def test_the_attachment_is_delivered_with_the_message(order, staff_user, billing_contact):
    order_grant(order=order, decided_by=staff_user)
    recorded = OutboundEmail.objects.get(template="invoice-issued", to="bo@example.org")
    mail.outbox.clear()
    assert email_deliver(recorded.pk)
    (sent,) = mail.outbox
    (filename, content, mimetype) = sent.attachments[0]
    assert (filename, mimetype) == ("invoice-000001.pdf", "application/pdf")
    assert content.startswith(b"%PDF")


def test_the_invoice_language_chosen_on_my_details_sets_the_pdf_formats(
    order, staff_user, organisation
):
    organisation.invoice_language = "nb"
    organisation.save()
    order_grant(order=order, decided_by=staff_user)
    invoice = Invoice.objects.get()
    assert invoice.language == "nb"
    from orders.invoice_pdf import invoice_pdf

    text = pdf_text(invoice_pdf(invoice))
    assert invoice.issued_on.strftime("%d.%m.%Y") in text  # Norwegian date
    assert "328,13 SEK" in text  # Norwegian decimal comma


def test_without_a_choice_the_invoice_is_in_the_account_holders_language(order, staff_user, holder):
    holder.language = "sv"
    holder.save()
    order_grant(order=order, decided_by=staff_user)
    assert Invoice.objects.get().language == "sv"


def test_my_details_saves_the_invoice_language(holder_client, organisation):
    url = reverse("accounts:organisation-details")
    holder_client.get(url)  # makes the main contact
    main = organisation.contacts.get(is_main=True)
    response = holder_client.post(
        url,
        {"billing_contact": main.pk, "peppol_id": "", "invoice_language": "sv"},
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.invoice_language == "sv"


def test_the_invoice_page_and_pdf_show_seller_reference_and_local_total(
    holder_client, order, staff_user
):
    order_grant(order=order, decided_by=staff_user)
    invoice = Invoice.objects.get()
    page = holder_client.get(reverse("orders:invoice-detail", args=[invoice.pk])).content.decode()
    assert invoice.seller["name"] in page and invoice.payment_reference in page
    assert "328.13 SEK" in page and "1 USD = 10.5 SEK" in page
    response = holder_client.get(reverse("orders:invoice-pdf", args=[invoice.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert "328.13 SEK" in pdf_text(response.content)
    assert Decimal("328.13") == invoice.total


def test_another_organisations_invoice_pdf_is_a_404(client, order, staff_user, make_organisation):
    order_grant(order=order, decided_by=staff_user)
    other = make_organisation()
    client.force_login(other.account_holder)
    invoice = Invoice.objects.get()
    assert client.get(reverse("orders:invoice-pdf", args=[invoice.pk])).status_code == 404
    assert client.get(reverse("orders:invoice-ubl", args=[invoice.pk])).status_code == 404


def test_letters_beyond_latin_1_print_as_their_base_letter_not_a_question_mark(
    order, staff_user, organisation
):
    """R-INV-1: a Polish or Czech customer's name and address stay readable on the PDF (the
    core font has Latin-1 only): "Łódź" prints as "Lódz", the letters Latin-1 has as they are."""
    Organisation.objects.filter(pk=organisation.pk).update(
        legal_name="Fundacja Łódź – Náměstí Míru, Gdańsk & Malmö",
        address="ul. Piotrkowska 104\n90-926 Łódź",
    )
    organisation.contacts.filter(is_main=True).delete()  # made again from that address
    order_grant(order=order, decided_by=staff_user)
    text = pdf_text(invoice_pdf(Invoice.objects.get()))
    assert "Fundacja Lódz - Námestí Míru, Gdansk & Malmö" in text
    assert "90-926 Lódz" in text
    assert "?" not in text
