"""Staff editing a contact in Django admin are held to the contact rules as the account's own
pages are (R-CON-9, R-CON-11): admin fixes a contact's details, it never gives a sub-account an
address that signs in elsewhere, nor links another account's login to it."""

import pytest
from django.urls import reverse

from accounts.models import Contact, right_field
from accounts.permissions import Right
from clearinghouse.models import AuditEvent
from tests.accounts.factories import ContactFactory, make_sub_account
from tests.accounts.test_sub_accounts import _form as contact_form

pytestmark = pytest.mark.django_db

AUDIT = "clearinghouse-auditevent-target_type-target_id"  # the audit trail inline's prefix
MANAGEMENT = ("TOTAL_FORMS", "INITIAL_FORMS")


def _change_form(contact: Contact, **changes) -> dict:
    """The admin change form as it comes, with `changes` (None: the box left unticked)."""
    data = contact_form(
        contact,
        organisation=contact.organisation_id,
        user=contact.user_id or "",
        **{f"{prefix}-{count}": 0 for prefix in ("invitations", AUDIT) for count in MANAGEMENT},
    )
    if contact.sub_account_active:
        data["sub_account_active"] = "on"
    data.update({right_field(right): "on" for right in contact.rights})
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def _post(staff_client, contact, **changes):
    url = reverse("admin:accounts_contact_change", args=[contact.pk])
    return staff_client.post(url, _change_form(contact, **changes))


def test_staff_cannot_give_a_sub_account_an_address_that_signs_in_elsewhere(
    staff_client, organisation, other_organisation
):
    """R-CON-9 (and R-CON-11): the sub-account's login would keep its old address while its
    contact row, which mail and invoices go to, took another account's."""
    contact = make_sub_account(organisation)
    taken = other_organisation.account_holder.email
    response = _post(staff_client, contact, email=taken.upper())
    assert response.status_code == 200
    assert "This email address is a sign-in" in response.content.decode()
    contact.refresh_from_db()
    assert contact.email != taken.upper()


def test_staff_cannot_link_another_accounts_login_to_a_contact(
    staff_client, organisation, other_organisation
):
    """R-CON-9: another account's account holder never becomes a sub-account here."""
    theirs = other_organisation.account_holder
    contact = ContactFactory(organisation=organisation, email=theirs.email)
    response = _post(staff_client, contact, user=theirs.pk, sub_account_active="on")
    assert response.status_code == 200
    assert "already signs in to another customer account" in response.content.decode()
    contact.refresh_from_db()
    assert contact.user_id is None and not contact.sub_account_active


def test_staff_can_still_fix_a_contacts_details(staff_client, organisation):
    contact = make_sub_account(organisation)
    response = _post(staff_client, contact, city="Lund", phone="+46461234567")
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.city == "Lund" and contact.user_id is not None


def test_staff_can_fix_the_address_of_a_contact_without_a_login(staff_client, organisation):
    contact = ContactFactory(organisation=organisation)
    response = _post(staff_client, contact, email="fixed@example.org")
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.email == "fixed@example.org"


def test_staff_cannot_tick_a_right_without_the_rights_it_needs(staff_client, organisation):
    """R-CON-10 in admin too: "Place orders" needs "View products & orders"."""
    contact = make_sub_account(organisation)
    response = _post(staff_client, contact, right_place_orders="on")
    assert response.status_code == 200
    assert "only works together with" in response.content.decode()
    contact.refresh_from_db()
    assert not contact.right_place_orders


def test_a_rights_change_in_admin_is_in_the_audit_trail(staff_client, staff_user, organisation):
    """Every contact-rights change is kept in the audit trail, staff's in admin as well."""
    contact = make_sub_account(organisation, Right.MANAGE_APPROVAL_CODES)
    response = _post(
        staff_client, contact, right_manage_approval_codes=None, right_view_pay_invoices="on"
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(verb="contact.rights_changed")
    assert event.actor == staff_user and event.organisation == organisation
    assert event.data["granted"] == [Right.VIEW_PAY_INVOICES]
    assert event.data["removed"] == [Right.MANAGE_APPROVAL_CODES]


def _delete(staff_client, contact):
    url = reverse("admin:accounts_contact_delete", args=[contact.pk])
    return staff_client.post(url, {"post": "yes"})


def test_staff_cannot_delete_a_sub_account_in_admin_and_leave_its_sign_in_working(
    staff_client, organisation
):
    """R-CON-8: a sub-account leaves through "remove", which switches its sign-in off; a raw
    delete would leave the person signed in to the organisation without a contact."""
    contact = make_sub_account(organisation)
    assert _delete(staff_client, contact).status_code == 403
    assert Contact.objects.filter(pk=contact.pk).exists()


def test_staff_cannot_delete_the_main_contact_in_admin(staff_client, organisation):
    """R-CON-1: the account holder is always the main contact."""
    from accounts.services import main_contact_ensure

    main = main_contact_ensure(organisation=organisation)
    assert _delete(staff_client, main).status_code == 403
    assert Contact.objects.filter(pk=main.pk).exists()


def test_staff_may_delete_a_contact_without_a_sign_in(staff_client, organisation):
    contact = ContactFactory(organisation=organisation)
    assert _delete(staff_client, contact).status_code == 302
    assert not Contact.objects.filter(pk=contact.pk).exists()


def test_the_list_has_no_bulk_delete(staff_client, organisation):
    """A bulk delete would not ask, contact by contact, what may be deleted."""
    make_sub_account(organisation)
    response = staff_client.get(reverse("admin:accounts_contact_changelist"))
    assert "delete_selected" not in response.content.decode()
