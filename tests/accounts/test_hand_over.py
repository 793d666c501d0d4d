"""Handing the account over (R-VAL-11): the holder names another sub-account, that person
confirms from a mail link and becomes the main contact, the former holder stays a contact
with the rights chosen; staff can hand over in admin with a reason, audited."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.errors import HandOverError
from accounts.models import Contact, HandOver, Organisation
from accounts.permissions import Right, rights_of
from clearinghouse.audit import events_for
from clearinghouse.models import OutboundEmail
from tests.accounts.factories import ContactFactory
from tests.factories import UserFactory


@pytest.fixture
def successor(organisation, sub_account):
    return sub_account(Right.VIEW_PAY_INVOICES, first_name="Nora", last_name="New")


def _token_from_mail(email: str) -> str:
    message = OutboundEmail.objects.filter(to=email, template="hand-over-confirm").latest("pk")
    return re.search(r"/hand-over/confirm/([^/\s]+)/", message.body_text).group(1)


def _start(organisation, successor, rights=(Right.MANAGE_APPROVAL_CODES,)):
    return services.hand_over_start(
        organisation=organisation,
        actor=organisation.account_holder,
        to_contact=successor,
        former_holder_rights=rights,
    )


def test_nothing_changes_until_the_new_holder_confirms(organisation, successor, holder):
    _start(organisation, successor)
    organisation.refresh_from_db()
    assert organisation.account_holder == holder
    assert rights_of(successor.user) == {Right.VIEW_PAY_INVOICES}


def test_the_new_holder_confirms_from_the_mail_link_and_becomes_the_main_contact(
    organisation, successor, holder
):
    _start(organisation, successor)
    client = Client()
    client.force_login(successor.user)
    url = reverse("accounts:hand-over-confirm", args=[_token_from_mail(successor.email)])
    assert "take over the account" in client.get(url).content.decode()
    assert client.post(url).status_code == 302

    organisation.refresh_from_db()
    assert organisation.account_holder == successor.user
    successor.refresh_from_db()
    assert successor.is_main
    assert rights_of(successor.user) == set(Right.values)
    former = Contact.objects.get(user=holder)
    assert not former.is_main and former.sub_account_active
    holder.refresh_from_db()
    assert rights_of(holder) == {Right.MANAGE_APPROVAL_CODES}
    event = events_for(organisation).get(verb="organisation.account_holder_changed")
    assert event.data["from"] == holder.email and event.data["to"] == successor.user.email
    assert set(
        OutboundEmail.objects.filter(template="hand-over-done").values_list("to", flat=True)
    ) == {holder.email, successor.user.email}


def test_the_billing_contact_stays_as_chosen(organisation, successor):
    billing = ContactFactory(organisation=organisation)
    organisation.billing_contact = billing
    organisation.save()
    _start(organisation, successor)
    services.hand_over_confirm(token=_token_from_mail(successor.email), user=successor.user)
    organisation.refresh_from_db()
    assert organisation.billing_contact == billing


def test_only_the_named_person_can_confirm(organisation, successor, sub_account):
    _start(organisation, successor)
    token = _token_from_mail(successor.email)
    someone_else = sub_account(Right.MANAGE_CONTACTS).user
    with pytest.raises(HandOverError):
        services.hand_over_confirm(token=token, user=someone_else)
    client = Client()
    client.force_login(someone_else)
    assert client.post(reverse("accounts:hand-over-confirm", args=[token])).status_code == 404
    organisation.refresh_from_db()
    assert organisation.account_holder != someone_else


def test_the_link_expires_and_starting_again_replaces_it(organisation, successor):
    _start(organisation, successor)
    first = _token_from_mail(successor.email)
    _start(organisation, successor)
    second = _token_from_mail(successor.email)
    with pytest.raises(HandOverError):
        services.hand_over_confirm(token=first, user=successor.user)
    later = timezone.now() + timedelta(days=HandOver.VALID_FOR_DAYS, hours=1)
    with time_machine.travel(later), pytest.raises(HandOverError):
        services.hand_over_confirm(token=second, user=successor.user)


def test_a_hand_over_to_a_contact_without_sub_account_is_refused(organisation):
    plain = ContactFactory(organisation=organisation)
    with pytest.raises(HandOverError) as raised:
        _start(organisation, plain)
    assert raised.value.code == "no_sub_account"
    assert not HandOver.objects.exists()


def test_a_hand_over_to_oneself_is_refused(organisation, holder):
    main = services.main_contact_ensure(organisation=organisation)
    with pytest.raises(HandOverError) as raised:
        _start(organisation, main)
    assert raised.value.code == "hand_over_to_self"
    assert not HandOver.objects.exists()


def test_the_page_refuses_a_contact_of_another_organisation(holder_client, organisation, db):
    from tests.accounts.factories import make_sub_account
    from tests.factories import OrganisationFactory

    stranger = make_sub_account(OrganisationFactory(), Right.MANAGE_CONTACTS)
    response = holder_client.post(reverse("accounts:hand-over-start"), {"to_contact": stranger.pk})
    assert response.status_code == 200
    assert not HandOver.objects.exists()


def test_a_sub_account_cannot_start_a_hand_over(sub_account_client, organisation):
    client = sub_account_client(*Right.values)
    assert client.get(reverse("accounts:hand-over-start")).status_code == 403


@pytest.fixture
def hand_over_staff(db, settings):
    settings.REQUIRE_STAFF_MFA = False
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(
        Permission.objects.get(codename="hand_over_organisation"),
        Permission.objects.get(codename="view_organisation"),
    )
    return staff


def test_staff_hand_over_an_account_whose_holder_is_gone_with_a_reason(
    organisation, successor, holder, hand_over_staff
):
    client = Client()
    client.force_login(hand_over_staff)
    url = reverse("admin:accounts_organisation_hand_over", args=[organisation.pk])
    response = client.post(url, {"to_contact": successor.pk, "reason": ""})
    assert response.status_code == 200
    assert Organisation.objects.get(pk=organisation.pk).account_holder == holder

    client.post(url, {"to_contact": successor.pk, "reason": "Treasurer left; board minutes."})
    organisation.refresh_from_db()
    assert organisation.account_holder == successor.user
    holder.refresh_from_db()
    assert not holder.is_active
    event = events_for(organisation).get(verb="organisation.account_holder_changed")
    assert event.data["reason"] == "Treasurer left; board minutes."
    assert event.actor == hand_over_staff


def test_staff_without_the_permission_cannot_hand_over(organisation, successor, db, settings):
    settings.REQUIRE_STAFF_MFA = False
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_organisation"))
    client = Client()
    client.force_login(staff)
    url = reverse("admin:accounts_organisation_hand_over", args=[organisation.pk])
    assert client.post(url, {"to_contact": successor.pk, "reason": "x"}).status_code == 403
