"""Sub-accounts: activation, rights, password (R-CON-8 … R-CON-10), and rights enforced at once."""

import pytest
from django.db import IntegrityError
from django.urls import reverse

from accounts.errors import ContactError
from accounts.models import Contact, User
from accounts.permissions import Right, rights_of, user_has_right
from accounts.services import sub_account_update
from clearinghouse.models import AuditEvent
from tests.accounts.factories import ContactFactory, make_sub_account
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

STRONG = "Blue-Kettle-Orbit-42"


def _form(contact, **sub):
    data = {
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "organisation_name": contact.organisation_name,
        "email": contact.email,
        "address_1": contact.address_1,
        "address_2": contact.address_2,
        "city": contact.city,
        "postcode": contact.postcode,
        "country": contact.country.code,
        "phone": contact.phone,
        "language": contact.language,
    }
    return {**data, **sub}


def test_the_holder_activates_a_sub_account_with_rights_and_a_password(holder_client, contact):
    """R-CON-8."""
    response = holder_client.post(
        reverse("accounts:contact-edit", args=[contact.pk]),
        _form(
            contact,
            sub_account_active="on",
            rights=[Right.MANAGE_APPROVAL_CODES],
            password=STRONG,
        ),
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    user = contact.user
    assert user.organisation == contact.organisation and user.check_password(STRONG)
    assert rights_of(user) == {Right.MANAGE_APPROVAL_CODES}
    assert not user.is_account_holder
    event = AuditEvent.objects.get(verb="contact.rights_changed", target_id=contact.pk)
    assert event.data["granted"] == [Right.MANAGE_APPROVAL_CODES]


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1A!", "too short"),
        ("password1234", "too common"),
        ("1234567890123", "entirely numeric"),
        ("kim.karlsson", "too similar"),
    ],
)
def test_a_weak_password_is_refused_with_the_reason(holder_client, organisation, password, message):
    contact = ContactFactory(
        organisation=organisation,
        first_name="Kim",
        last_name="Karlsson",
        email="kim.karlsson@example.org",
    )
    response = holder_client.post(
        reverse("accounts:contact-edit", args=[contact.pk]),
        _form(contact, sub_account_active="on", password=password),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    contact.refresh_from_db()
    assert contact.user is None and not contact.sub_account_active
    assert not User.objects.filter(email=contact.email).exists()


def test_activating_without_password_or_invitation_says_what_is_missing(holder_client, contact):
    response = holder_client.post(
        reverse("accounts:contact-edit", args=[contact.pk]), _form(contact, sub_account_active="on")
    )
    assert "Set a password for the sub-account, or send an invitation" in response.content.decode()
    assert not User.objects.filter(email=contact.email).exists()


@pytest.mark.parametrize("case", [str.lower, str.upper, str.title])
def test_an_email_of_another_customer_account_cannot_become_a_sub_account(
    holder, organisation, other_organisation, case
):
    """R-CON-9, compared case-insensitively."""
    other_holder_email = other_organisation.account_holder.email
    contact = ContactFactory(organisation=organisation, email=case(other_holder_email))
    with pytest.raises(ContactError) as raised:
        sub_account_update(contact=contact, actor=holder, active=True, password=STRONG)
    assert raised.value.code == "email_taken_elsewhere"
    contact.refresh_from_db()
    assert contact.user is None and not contact.sub_account_active


def test_a_sub_account_of_another_account_cannot_become_a_sub_account_here(
    holder, organisation, other_organisation
):
    """R-CON-9."""
    theirs = make_sub_account(other_organisation, email="shared@example.org")
    contact = ContactFactory(organisation=organisation, email="SHARED@example.org")
    with pytest.raises(ContactError, match="sub-account of another account"):
        sub_account_update(contact=contact, actor=holder, active=True, password=STRONG)
    assert theirs.user.organisation == other_organisation


def test_a_contact_of_another_account_cannot_become_a_sub_account_here(
    holder, organisation, other_organisation
):
    """R-CON-9: "neither as a contact nor as a login": a contact without a sign-in there
    blocks it too, in any case."""
    ContactFactory(organisation=other_organisation, email="treasurer@example.org")
    contact = ContactFactory(organisation=organisation, email="Treasurer@Example.org")
    with pytest.raises(ContactError, match="contact of another customer account") as raised:
        sub_account_update(contact=contact, actor=holder, active=True, password=STRONG)
    assert raised.value.code == "email_taken_elsewhere" and raised.value.field == "email"
    contact.refresh_from_db()
    assert contact.user is None and not contact.sub_account_active
    assert not User.objects.filter(email__iexact="treasurer@example.org").exists()


def test_a_contact_added_elsewhere_later_does_not_lock_a_sub_accounts_rights(
    holder, organisation, other_organisation
):
    """R-CON-9 is asked when the sign-in is made; another account cannot freeze ours."""
    contact = make_sub_account(organisation, email="kim@example.org")
    ContactFactory(organisation=other_organisation, email="kim@example.org")
    sub_account_update(
        contact=contact, actor=holder, active=True, rights=[Right.MANAGE_APPROVAL_CODES]
    )
    contact.refresh_from_db()
    assert contact.right_manage_approval_codes and contact.sub_account_active


def test_a_signed_up_user_without_an_organisation_keeps_its_address(holder, organisation):
    """R-CON-9: any account that signs in with the address blocks it."""
    UserFactory(email="someone@example.org")
    contact = ContactFactory(organisation=organisation, email="Someone@Example.org")
    with pytest.raises(ContactError):
        sub_account_update(contact=contact, actor=holder, active=True, password=STRONG)


def test_the_database_refuses_two_accounts_with_the_same_address_in_other_case():
    """R-CON-9 at the database: the users' email is unique case-insensitively."""
    UserFactory(email="person@example.org")
    with pytest.raises(IntegrityError):
        User.objects.create(email="PERSON@example.org")


def test_the_email_taken_elsewhere_is_refused_on_the_form(
    holder_client, other_organisation, contact
):
    contact.email = other_organisation.account_holder.email.upper()
    contact.save()
    response = holder_client.post(
        reverse("accounts:contact-edit", args=[contact.pk]),
        _form(contact, sub_account_active="on", password=STRONG),
    )
    assert "cannot become a sub-account here" in response.content.decode()


def test_place_orders_needs_view_products_and_orders(holder_client, contact):
    """R-CON-10: the form explains and refuses the combination that cannot work."""
    url = reverse("accounts:contact-edit", args=[contact.pk])
    page = holder_client.get(url).content.decode()
    assert "“Place orders” needs “View products &amp; orders”." in page
    response = holder_client.post(
        url,
        _form(contact, sub_account_active="on", rights=[Right.PLACE_ORDERS], password=STRONG),
    )
    assert "only works together with" in response.content.decode()
    assert not User.objects.filter(email=contact.email).exists()
    holder_client.post(
        url,
        _form(
            contact,
            sub_account_active="on",
            rights=[Right.PLACE_ORDERS, Right.VIEW_PRODUCTS_ORDERS],
            password=STRONG,
        ),
    )
    contact.refresh_from_db()
    assert contact.rights == {Right.PLACE_ORDERS, Right.VIEW_PRODUCTS_ORDERS}


def test_the_service_refuses_the_combination_too(holder, contact):
    with pytest.raises(ContactError) as raised:
        sub_account_update(
            contact=contact, actor=holder, active=True, rights=[Right.PLACE_ORDERS], password=STRONG
        )
    assert raised.value.code == "rights_need_each_other"


def test_a_sub_account_cannot_grant_itself_rights(sub_account_client):
    client = sub_account_client(Right.MANAGE_CONTACTS)
    contact = client.contact
    response = client.post(
        reverse("accounts:contact-edit", args=[contact.pk]),
        _form(contact, sub_account_active="on", rights=list(Right.values), password=STRONG),
    )
    assert response.status_code == 302  # its details are saved; the rights fields are not its own
    contact.refresh_from_db()
    assert contact.rights == {Right.MANAGE_CONTACTS}
    assert not contact.user.check_password(STRONG)
    assert (
        "Rights"
        not in client.get(reverse("accounts:contact-edit", args=[contact.pk])).content.decode()
    )


def test_only_the_account_holder_may_call_the_sub_account_service(organisation, sub_account):
    manager = sub_account(Right.MANAGE_CONTACTS)
    with pytest.raises(ContactError) as raised:
        sub_account_update(
            contact=manager, actor=manager.user, active=True, rights=list(Right.values)
        )
    assert raised.value.code == "holder_only"
    manager.refresh_from_db()
    assert manager.rights == {Right.MANAGE_CONTACTS}


def test_a_sub_account_with_manage_contacts_cannot_remove_a_sub_account(
    sub_account_client, sub_account
):
    client = sub_account_client(Right.MANAGE_CONTACTS)
    other = sub_account(Right.MANAGE_APPROVAL_CODES)
    url = reverse("accounts:contact-delete", args=[other.pk])
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert Contact.objects.filter(pk=other.pk).exists()


def test_removing_a_right_takes_effect_for_a_session_already_signed_in(sub_account_client, holder):
    client = sub_account_client(Right.MANAGE_CONTACTS)
    url = reverse("accounts:contact-list")
    assert client.get(url).status_code == 200
    sub_account_update(contact=client.contact, actor=holder, active=True, rights=[])
    response = client.get(url)
    assert response.status_code == 403
    assert "Manage contacts" in response.content.decode()  # says which right is needed


def test_deactivating_a_sub_account_signs_it_out_at_once(sub_account_client, holder):
    client = sub_account_client(Right.MANAGE_CONTACTS)
    sub_account_update(
        contact=client.contact, actor=holder, active=False, rights=[Right.MANAGE_CONTACTS]
    )
    response = client.get(reverse("accounts:contact-list"))
    assert response.status_code == 302 and "/accounts/login/" in response.url
    contact = Contact.objects.get(pk=client.contact.pk)
    assert rights_of(contact.user) == frozenset()
    assert AuditEvent.objects.filter(verb="contact.sub_account_deactivated").exists()


def test_reactivating_restores_the_ticked_rights(holder, sub_account):
    contact = sub_account(Right.VIEW_PAY_INVOICES, active=False)
    assert not user_has_right(contact.user, Right.VIEW_PAY_INVOICES)
    sub_account_update(contact=contact, actor=holder, active=True, rights=[Right.VIEW_PAY_INVOICES])
    contact.user.refresh_from_db()
    assert user_has_right(User.objects.get(pk=contact.user_id), Right.VIEW_PAY_INVOICES)


def test_a_new_contact_has_no_rights_even_if_it_has_a_user(organisation):
    """R-CON-3."""
    contact = ContactFactory(organisation=organisation)
    assert contact.rights == frozenset()


def test_the_account_holder_has_every_right(holder):
    assert rights_of(holder) == frozenset(Right.values)


def test_removing_a_sub_account_contact_switches_its_sign_in_off(holder_client, sub_account):
    contact = sub_account(Right.MANAGE_APPROVAL_CODES)
    holder_client.post(reverse("accounts:contact-delete", args=[contact.pk]))
    user = User.objects.get(pk=contact.user_id)
    assert not user.is_active and user.organisation is None
    assert rights_of(user) == frozenset()


def test_a_sub_account_signs_in_with_its_password(client, sub_account):
    contact = sub_account(Right.MANAGE_APPROVAL_CODES)
    response = client.post(reverse("account_login"), {"login": contact.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("accounts:account-overview")).context["user"] == contact.user


def test_the_holder_changing_a_sub_accounts_email_leaves_its_sign_in_alone(
    holder_client, sub_account
):
    """R-CON-11: the field is read-only; the posted address is ignored."""
    contact = sub_account(Right.MANAGE_APPROVAL_CODES)
    old_email = contact.email
    holder_client.post(
        reverse("accounts:contact-edit", args=[contact.pk]),
        _form(
            contact,
            email="new.address@example.org",
            sub_account_active="on",
            rights=[Right.MANAGE_APPROVAL_CODES],
        ),
    )
    assert User.objects.get(pk=contact.user_id).email == old_email
    assert Contact.objects.get(pk=contact.pk).email == old_email


def test_rights_or_a_password_without_activating_the_sub_account_are_refused(
    holder_client, contact
):
    response = holder_client.post(
        reverse("accounts:contact-edit", args=[contact.pk]),
        _form(contact, rights=[Right.MANAGE_CONTACTS], password=STRONG),
    )
    assert response.status_code == 200
    assert "Tick “Activate sub-account” first" in response.content.decode()
    contact.refresh_from_db()
    assert contact.rights == frozenset() and contact.user is None
