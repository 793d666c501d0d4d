"""Contacts: adding, editing and removing them (R-CON-1 … R-CON-4)."""

import pytest
from django.urls import reverse

from accounts.models import Contact
from accounts.selectors import organisation_recipients
from clearinghouse.models import AuditEvent
from tests.accounts.factories import ContactFactory

pytestmark = pytest.mark.django_db

VALID = {
    "first_name": "Ingrid",
    "last_name": "Invoice",
    "organisation_name": "",
    "email": "ingrid@example.org",
    "address_1": "Kungsgatan 9",
    "address_2": "",
    "city": "Göteborg",
    "postcode": "411 19",
    "country": "SE",
    "phone": "+46 31 12 34 56",
    "language": "sv",
}


def test_the_contacts_page_lists_the_main_contact_first_with_add_new_contact(
    holder_client, holder, organisation
):
    ContactFactory(organisation=organisation, first_name="Aaron", last_name="Aardvark")
    response = holder_client.get(reverse("accounts:contact-list"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Manage contacts" in content and "Choose contact" in content
    assert content.index("Add new contact") < content.index(holder.email)
    assert content.index(holder.email) < content.index("Aaron Aardvark")


def test_adding_a_contact_with_the_form(holder_client, organisation):
    """R-CON-2, R-CON-3: the new contact has no rights and gets no mail by default."""
    response = holder_client.post(reverse("accounts:contact-create"), VALID)
    assert response.status_code == 302
    contact = Contact.objects.get(email="ingrid@example.org")
    assert contact.organisation == organisation
    assert contact.rights == frozenset() and contact.email_categories == frozenset()
    assert contact.user is None
    assert AuditEvent.objects.filter(verb="contact.created", target_id=contact.pk).exists()


def test_a_contact_can_be_given_invoice_mail_on_the_form(holder_client, organisation):
    """R-CON-4."""
    holder_client.post(
        reverse("accounts:contact-create"), {**VALID, "email_categories": ["invoices"]}
    )
    assert ("ingrid@example.org", "sv") in organisation_recipients(
        organisation=organisation, category="invoices"
    )


@pytest.mark.parametrize(
    "field",
    ["first_name", "last_name", "email", "address_1", "city", "postcode", "country", "phone"],
)
def test_every_field_but_organisation_name_and_address_2_is_required(holder_client, field):
    """R-CON-2."""
    response = holder_client.post(reverse("accounts:contact-create"), {**VALID, field: ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Contact.objects.filter(is_main=False).exists()


def test_a_malformed_email_is_refused(holder_client):
    response = holder_client.post(
        reverse("accounts:contact-create"), {**VALID, "email": "not-an-email"}
    )
    assert "Enter a valid email address." in response.content.decode()
    assert not Contact.objects.filter(is_main=False).exists()


def test_an_email_already_among_the_contacts_is_refused_whatever_its_case(
    holder_client, organisation
):
    ContactFactory(organisation=organisation, email="ingrid@example.org")
    response = holder_client.post(
        reverse("accounts:contact-create"), {**VALID, "email": "INGRID@Example.org"}
    )
    assert "already has this email address" in response.content.decode()
    assert Contact.objects.filter(email__iexact="ingrid@example.org").count() == 1


def test_the_account_holders_email_cannot_be_added_as_a_second_contact(holder_client, holder):
    response = holder_client.post(
        reverse("accounts:contact-create"), {**VALID, "email": holder.email}
    )
    assert "already has this email address" in response.content.decode()


def test_editing_a_contact_changes_its_details_and_email_settings(holder_client, contact):
    response = holder_client.post(
        reverse("accounts:contact-edit", args=[contact.pk]),
        {**VALID, "email": contact.email, "email_categories": ["orders", "general"]},
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.first_name == "Ingrid"
    assert contact.email_categories == {"orders", "general"}


def test_the_main_contacts_email_is_not_changed_on_the_contact_form(holder_client, holder):
    main = holder_client.get(reverse("accounts:contact-list")) and Contact.objects.get(is_main=True)
    holder_client.post(
        reverse("accounts:contact-edit", args=[main.pk]), {**VALID, "email": "new@example.org"}
    )
    main.refresh_from_db()
    assert main.email == holder.email
    assert main.first_name == "Ingrid"


def test_removing_a_contact_asks_first_then_removes_it(holder_client, contact):
    url = reverse("accounts:contact-delete", args=[contact.pk])
    response = holder_client.get(url)
    assert "Are you sure" in response.content.decode()
    assert Contact.objects.filter(pk=contact.pk).exists()
    holder_client.post(url)
    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert AuditEvent.objects.filter(verb="contact.removed", target_id=contact.pk).exists()


def test_the_main_contact_cannot_be_removed(holder_client, organisation):
    """R-CON-1."""
    holder_client.get(reverse("accounts:contact-list"))
    main = Contact.objects.get(organisation=organisation, is_main=True)
    response = holder_client.post(reverse("accounts:contact-delete", args=[main.pk]), follow=True)
    assert "The main contact cannot be removed" in response.content.decode()
    assert Contact.objects.filter(pk=main.pk).exists()


def test_removing_the_billing_contact_puts_the_main_contact_on_invoices(holder_client, contact):
    organisation = contact.organisation
    organisation.billing_contact = contact
    organisation.save()
    holder_client.post(reverse("accounts:contact-delete", args=[contact.pk]))
    organisation.refresh_from_db()
    assert organisation.billing_contact is None


def test_another_organisations_contact_is_a_404(holder_client, other_organisation):
    theirs = ContactFactory(organisation=other_organisation)
    for name in ("accounts:contact-edit", "accounts:contact-delete"):
        assert holder_client.get(reverse(name, args=[theirs.pk])).status_code == 404
    assert (
        holder_client.post(reverse("accounts:contact-delete", args=[theirs.pk])).status_code == 404
    )
    assert Contact.objects.filter(pk=theirs.pk).exists()


def test_the_contacts_list_has_a_fixed_number_of_queries(
    holder_client, organisation, django_assert_num_queries
):
    holder_client.get(reverse("accounts:contact-list"))  # makes the main contact's row
    # The count of open join requests beside "Add new contact" is one query of the seven.
    ContactFactory(organisation=organisation)
    with django_assert_num_queries(7) as one:
        holder_client.get(reverse("accounts:contact-list"))
    ContactFactory.create_batch(30, organisation=organisation)
    with django_assert_num_queries(len(one.captured_queries)):
        response = holder_client.get(reverse("accounts:contact-list"))
    assert response.context["page"].paginator.num_pages == 2


def test_creating_an_organisation_makes_the_account_holder_its_main_contact(user):
    from accounts.services import organisation_create

    organisation = organisation_create(
        account_holder=user,
        legal_name="New Org",
        country="NO",
        type="nonprofit",
        registration_number="974760673",
        address="Storgata 2\n0155 Oslo",
    )
    main = Contact.objects.get(organisation=organisation)
    assert main.is_main and main.user == user and main.email == user.email
    assert (main.address_1, main.postcode, main.city, main.country.code) == (
        "Storgata 2",
        "0155",
        "Oslo",
        "NO",
    )


def test_editing_the_main_contacts_name_renames_the_account_holder(holder_client, holder):
    holder_client.get(reverse("accounts:contact-list"))
    main = Contact.objects.get(is_main=True)
    holder_client.post(
        reverse("accounts:contact-edit", args=[main.pk]), {**VALID, "email": holder.email}
    )
    holder.refresh_from_db()
    assert (holder.first_name, holder.last_name, holder.language) == ("Ingrid", "Invoice", "sv")
