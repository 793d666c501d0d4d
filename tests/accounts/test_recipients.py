"""One function decides who receives an organisation's mail (R-CON-1, R-CON-3, R-CON-4)."""

import pytest
from django.core import mail

from accounts.emails import send_to_organisation
from accounts.models import MessageCategory, email_setting_field
from accounts.selectors import organisation_recipients, payment_confirmation_recipients
from clearinghouse.models import OutboundEmail
from tests.accounts.factories import ContactFactory, make_sub_account

pytestmark = pytest.mark.django_db

CATEGORIES = list(MessageCategory.values)


@pytest.mark.parametrize("category", CATEGORIES)
def test_only_the_main_contact_receives_mail_when_no_contact_chose_it(
    organisation, holder, category
):
    """R-CON-3: a new contact receives none of the mail sent to the account holder."""
    ContactFactory(organisation=organisation)
    assert organisation_recipients(organisation=organisation, category=category) == [
        (holder.email, holder.language)
    ]


@pytest.mark.parametrize("category", CATEGORIES)
def test_a_contact_receives_exactly_the_categories_it_ticked(organisation, holder, category):
    """R-CON-4: each category reaches the main contact and the contacts who ticked it."""
    ticked = ContactFactory(
        organisation=organisation, language="nb", **{email_setting_field(category): True}
    )
    others = {c for c in CATEGORIES if c != category}
    ContactFactory(organisation=organisation, **{email_setting_field(c): True for c in others})
    assert organisation_recipients(organisation=organisation, category=category) == [
        (holder.email, holder.language),
        (ticked.email, "nb"),
    ]


def test_contacts_of_another_organisation_never_receive_its_mail(organisation, other_organisation):
    ContactFactory(organisation=other_organisation, email_general=True)
    recipients = organisation_recipients(organisation=organisation, category="general")
    assert len(recipients) == 1


def test_a_sub_account_gets_mail_in_the_language_it_chose_on_the_site(organisation):
    contact = make_sub_account(organisation, email_orders=True, language="en")
    contact.user.language = "sv"
    contact.user.save()
    assert (contact.email, "sv") in organisation_recipients(
        organisation=organisation, category="orders"
    )


def test_the_same_address_gets_one_copy(organisation, holder):
    ContactFactory(organisation=organisation, email=holder.email.upper(), email_invoices=True)
    assert organisation_recipients(organisation=organisation, category="invoices") == [
        (holder.email, holder.language)
    ]


def test_an_unknown_category_is_a_programming_error(organisation):
    with pytest.raises(ValueError, match="Unknown message category"):
        organisation_recipients(organisation=organisation, category="newsletter")


@pytest.mark.parametrize("only_main", [True, False])
def test_payment_confirmations_go_to_the_main_contact_only_when_the_account_says_so(
    organisation, holder, only_main
):
    """R-CON-7."""
    invoices = ContactFactory(organisation=organisation, email_invoices=True)
    organisation.payment_confirmations_to_main_contact_only = only_main
    organisation.save()
    expected = [(holder.email, holder.language)]
    if not only_main:
        expected.append((invoices.email, invoices.language))
    assert payment_confirmation_recipients(organisation=organisation) == expected


def test_send_to_organisation_sends_one_message_per_recipient_in_their_language(
    organisation, holder, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    contact = ContactFactory(organisation=organisation, email_invoices=True, language="sv")
    with django_capture_on_commit_callbacks(execute=True):
        messages = send_to_organisation(
            organisation=organisation,
            category="invoices",
            name="contacts-invitation",
            context={
                "contact": contact,
                "invited_by": "Test",
                "accept_path": "/x/",
                "valid_for_days": 7,
            },
        )
    assert [(m.to, m.language) for m in messages] == [
        (holder.email, holder.language),
        (contact.email, "sv"),
    ]
    assert sorted(message.to[0] for message in mail.outbox) == sorted([holder.email, contact.email])


def test_a_contacts_copy_has_a_footer_link_to_stop_the_category_and_the_main_contacts_not(
    organisation, holder
):
    contact = ContactFactory(organisation=organisation, email_orders=True)
    send_to_organisation(
        organisation=organisation,
        category="orders",
        name="contacts-invitation",
        context={"contact": contact, "invited_by": "T", "accept_path": "/", "valid_for_days": 7},
    )
    to_contact = OutboundEmail.objects.get(to=contact.email)
    to_holder = OutboundEmail.objects.get(to=holder.email)
    assert "/account/email/stop/" in to_contact.body_text
    assert "/account/email/stop/" not in to_holder.body_text


def test_the_category_may_be_given_as_the_enum_member(organisation):
    contact = ContactFactory(organisation=organisation, email_approval_codes=True)
    recipients = organisation_recipients(
        organisation=organisation, category=MessageCategory.APPROVAL_CODES
    )
    assert (contact.email, contact.language) in recipients
