"""A contact stops a category of mail from the link in the mail's footer, without signing in."""

import pytest
from django.urls import reverse

from accounts.emails import email_stop_path, email_stop_token
from accounts.selectors import organisation_recipients
from accounts.services import main_contact_ensure
from clearinghouse.models import AuditEvent
from tests.accounts.factories import ContactFactory

pytestmark = pytest.mark.django_db


def test_the_footer_link_asks_then_stops_only_that_category(client, organisation):
    contact = ContactFactory(organisation=organisation, email_orders=True, email_invoices=True)
    url = email_stop_path(contact_id=contact.pk, category="orders")
    response = client.get(url)
    assert "Are you sure" in response.content.decode()
    contact.refresh_from_db()
    assert contact.email_orders  # a GET (a link scanner) changes nothing
    client.post(url)
    contact.refresh_from_db()
    assert not contact.email_orders and contact.email_invoices
    assert contact.email not in dict(
        organisation_recipients(organisation=organisation, category="orders")
    )
    assert AuditEvent.objects.filter(verb="contact.email_category_stopped").exists()


def test_a_tampered_link_does_nothing(client, organisation):
    contact = ContactFactory(organisation=organisation, email_orders=True)
    token = email_stop_token(contact_id=contact.pk, category="orders")
    response = client.post(reverse("accounts:email-stop", args=[token[:-2] + "xx"]))
    assert response.status_code == 404
    contact.refresh_from_db()
    assert contact.email_orders


def test_the_main_contact_cannot_stop_mail(client, organisation):
    main = main_contact_ensure(organisation=organisation)
    response = client.post(email_stop_path(contact_id=main.pk, category="orders"))
    assert response.status_code == 404
