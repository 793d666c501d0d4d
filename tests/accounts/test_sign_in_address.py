"""R-CON-11: a person's sign-in address is theirs. Nobody else's edit of a contact with a login
moves that login, and a sub-account grants only rights it holds itself."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.errors import ContactError
from accounts.models import Contact, User
from accounts.permissions import Right, rights_grantable_by, rights_not_grantable_by
from accounts.services import contact_update, main_contact_ensure, sub_account_update
from clearinghouse.models import OutboundEmail
from tests.accounts.factories import ContactFactory, make_sub_account

pytestmark = pytest.mark.django_db

ATTACKER = "attacker@evil.example"


def _form(contact, **changes):
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
    return {**data, **changes}


def _sign_in_of(contact):
    user = User.objects.get(pk=contact.user_id)
    return user.email, sorted(
        EmailAddress.objects.filter(user=user).values_list("email", "verified")
    )


def test_a_contact_manager_cannot_move_a_siblings_sign_in_address(client, organisation):
    sibling = make_sub_account(organisation, Right.VIEW_PAY_INVOICES)
    attacker = make_sub_account(organisation, Right.MANAGE_CONTACTS)
    before = _sign_in_of(sibling)
    client.force_login(attacker.user)
    response = client.post(
        reverse("accounts:contact-edit", args=[sibling.pk]),
        _form(sibling, email=ATTACKER, first_name="Renamed"),
    )
    assert response.status_code == 302  # the other details are saved …
    sibling.refresh_from_db()
    assert sibling.first_name == "Renamed"
    assert sibling.email != ATTACKER  # … the address is not
    assert _sign_in_of(sibling) == before
    assert not EmailAddress.objects.filter(email__iexact=ATTACKER).exists()
    assert not OutboundEmail.objects.filter(to=ATTACKER).exists()


def test_the_account_holder_cannot_move_a_sub_accounts_sign_in_address(holder_client, organisation):
    sibling = make_sub_account(organisation, Right.VIEW_PAY_INVOICES)
    before = _sign_in_of(sibling)
    holder_client.post(
        reverse("accounts:contact-edit", args=[sibling.pk]), _form(sibling, email=ATTACKER)
    )
    assert _sign_in_of(sibling) == before
    assert Contact.objects.get(pk=sibling.pk).email == before[0]


def test_a_deactivated_sub_accounts_sign_in_address_stays_too(holder_client, organisation):
    sibling = make_sub_account(organisation, Right.VIEW_PAY_INVOICES, active=False)
    before = _sign_in_of(sibling)
    holder_client.post(
        reverse("accounts:contact-edit", args=[sibling.pk]), _form(sibling, email=ATTACKER)
    )
    assert _sign_in_of(sibling) == before


def test_the_service_refuses_to_change_the_address_of_a_contact_with_a_login(organisation):
    sibling = make_sub_account(organisation, Right.VIEW_PAY_INVOICES)
    with pytest.raises(ContactError) as error:
        contact_update(
            contact=sibling, actor=organisation.account_holder, **_form(sibling, email=ATTACKER)
        )
    assert error.value.code == "sign_in_address_not_editable"
    assert User.objects.get(pk=sibling.user_id).email == sibling.email


def test_a_contact_without_a_login_can_still_get_a_new_address(holder_client, organisation):
    contact = ContactFactory(organisation=organisation)
    holder_client.post(
        reverse("accounts:contact-edit", args=[contact.pk]),
        _form(contact, email="moved@example.org"),
    )
    assert Contact.objects.get(pk=contact.pk).email == "moved@example.org"


def test_the_form_says_whose_address_it_is_and_how_it_changes(client, organisation):
    sibling = make_sub_account(organisation, Right.VIEW_PAY_INVOICES, first_name="Greta")
    manager = make_sub_account(organisation, Right.MANAGE_CONTACTS)
    client.force_login(manager.user)
    form = client.get(reverse("accounts:contact-edit", args=[sibling.pk])).context["form"]
    assert form.fields["email"].disabled
    assert f"{sibling.full_name}'s sign-in address" in str(form.fields["email"].help_text)
    assert "confirmed from the new address" in str(form.fields["email"].help_text)


def test_the_person_is_sent_to_their_own_email_page(client, organisation):
    """Read-only on this form for the person too: their own email page confirms the change."""
    manager = make_sub_account(organisation, Right.MANAGE_CONTACTS)
    client.force_login(manager.user)
    response = client.get(reverse("accounts:contact-edit", args=[manager.pk]))
    field = response.context["form"].fields["email"]
    assert field.disabled
    assert reverse("account_email") in str(field.help_text)


def test_the_main_contacts_address_is_read_only_for_everyone(client, organisation):
    main = main_contact_ensure(organisation=organisation)
    manager = make_sub_account(organisation, Right.MANAGE_CONTACTS)
    client.force_login(manager.user)
    field = (
        client.get(reverse("accounts:contact-edit", args=[main.pk])).context["form"].fields["email"]
    )
    assert field.disabled and "account holder's sign-in address" in str(field.help_text)


# --- Rights a grantor may grant --------------------------------------------------------------


def test_the_account_holder_may_grant_every_right(organisation):
    assert rights_grantable_by(organisation.account_holder) == frozenset(Right.values)


def test_a_sub_account_may_grant_only_its_own_rights_and_never_manage_contacts(organisation):
    grantor = make_sub_account(organisation, Right.MANAGE_APPROVAL_CODES, Right.MANAGE_CONTACTS)
    assert rights_grantable_by(grantor.user) == {Right.MANAGE_APPROVAL_CODES}
    assert rights_not_grantable_by(
        grantor.user, [Right.MANAGE_APPROVAL_CODES, Right.MANAGE_CONTACTS, Right.PLACE_ORDERS]
    ) == {Right.MANAGE_CONTACTS, Right.PLACE_ORDERS}


def test_an_inactive_sub_account_may_grant_nothing(organisation):
    grantor = make_sub_account(organisation, Right.MANAGE_APPROVAL_CODES, active=False)
    assert rights_grantable_by(grantor.user) == frozenset()


def test_setting_rights_stays_with_the_account_holder(organisation):
    grantor = make_sub_account(organisation, Right.MANAGE_CONTACTS, Right.MANAGE_APPROVAL_CODES)
    target = make_sub_account(organisation)
    with pytest.raises(ContactError):
        sub_account_update(
            contact=target, actor=grantor.user, active=True, rights=[Right.MANAGE_APPROVAL_CODES]
        )
    assert Contact.objects.get(pk=target.pk).rights == frozenset()
