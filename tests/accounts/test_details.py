"""My details: the organisation's details (read-only here), "Billing contact", "Peppol ID" and
"Send payment confirmations only to the main contact" (R-CON-5 … R-CON-7)."""

import pytest
from django.urls import reverse

from accounts.models import Contact
from accounts.selectors import invoice_addressee
from clearinghouse.models import AuditEvent
from tests.accounts.factories import ContactFactory

pytestmark = pytest.mark.django_db

URL = reverse("accounts:organisation-details")


def _post(client, **data):
    main = Contact.objects.get(is_main=True)
    return client.post(
        URL,
        {"billing_contact": main.pk, "peppol_id": "", **data},
    )


def test_my_details_shows_the_organisation_and_the_invoice_settings(holder_client, organisation):
    content = holder_client.get(URL).content.decode()
    for text in (
        organisation.legal_name,
        "Nonprofit",
        "Sweden",
        "Storgatan 1",
        "Billing contact",
        "Peppol ID",
        "Send payment confirmations only to the main contact",
        "under the Validation tab",
    ):
        assert text in content


def test_choosing_a_billing_contact_puts_it_on_invoices(holder_client, organisation):
    """R-CON-5."""
    holder_client.get(URL)
    billing = ContactFactory(organisation=organisation)
    response = _post(holder_client, billing_contact=billing.pk)
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.billing_contact == billing
    assert invoice_addressee(organisation=organisation).email == billing.email
    assert AuditEvent.objects.filter(verb="organisation.billing_details_changed").exists()


def test_a_peppol_id_is_saved_in_compact_form(holder_client, organisation):
    holder_client.get(URL)
    _post(holder_client, peppol_id="0007:556721-2047")
    organisation.refresh_from_db()
    assert organisation.peppol_id == "0007:5567212047"


def test_a_malformed_peppol_id_is_refused_and_nothing_changes(holder_client, organisation):
    holder_client.get(URL)
    billing = ContactFactory(organisation=organisation)
    response = _post(holder_client, billing_contact=billing.pk, peppol_id="0007:1234567890")
    assert response.status_code == 200
    assert "Swedish organisation number" in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.peppol_id == "" and organisation.billing_contact is None


def test_the_payment_confirmation_setting_is_saved(holder_client, organisation):
    """R-CON-7."""
    holder_client.get(URL)
    _post(holder_client, payment_confirmations_to_main_contact_only="on")
    organisation.refresh_from_db()
    assert organisation.payment_confirmations_to_main_contact_only


def test_another_organisations_contact_cannot_be_the_billing_contact(
    holder_client, organisation, other_organisation
):
    holder_client.get(URL)
    theirs = ContactFactory(organisation=other_organisation)
    response = _post(holder_client, billing_contact=theirs.pk)
    assert response.status_code == 200
    organisation.refresh_from_db()
    assert organisation.billing_contact is None
