"""Joining an organisation that already has an account instead of registering it again
(R-VAL-11): asked by handle or registration number without learning whether anything matched;
answered by the holder or a contact manager with rights they may give (R-CON-11); the
person's own sign-in becomes a sub-account (R-CON-9); mail both ways; 14 days to answer."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.errors import JoinRequestError
from accounts.models import Contact, JoinRequest, User
from accounts.permissions import Right, rights_of
from clearinghouse.models import OutboundEmail
from tests.accounts.factories import ContactFactory
from tests.factories import OrganisationFactory, UserFactory

JOIN_URL = reverse("accounts:join-request-create")
SAME_ANSWER = "If an account exists for what you entered, its account holder has been asked"


@pytest.fixture
def board_member(db):
    return UserFactory(email="karin@forening.example.se", first_name="Karin", last_name="Berg")


@pytest.fixture
def board_client(client, board_member):
    client.force_login(board_member)
    return client


def _ask(requester, organisation, **fields):
    return services.join_request_create(
        requester=requester, asked_for=fields.pop("asked_for", organisation.handle), **fields
    )


def _mails_to(email):
    return list(OutboundEmail.objects.filter(to=email).values_list("template", flat=True))


def test_the_answer_is_the_same_whether_or_not_the_handle_exists(board_client, organisation):
    known = board_client.post(JOIN_URL, {"asked_for": organisation.handle}, follow=True)
    JoinRequest.objects.all().delete()
    unknown = board_client.post(JOIN_URL, {"asked_for": "NoSuchHandle123"}, follow=True)
    assert SAME_ANSWER in known.content.decode()
    assert SAME_ANSWER in unknown.content.decode()
    assert organisation.legal_name not in known.content.decode()
    assert known.status_code == unknown.status_code == 200


def test_an_unknown_handle_makes_a_request_that_reaches_no_one(board_member, organisation):
    join_request = services.join_request_create(requester=board_member, asked_for="Nobody42")
    assert join_request.organisation is None
    assert _mails_to(board_member.email) == ["join-request-sent"]
    assert _mails_to(organisation.account_holder.email) == []


def test_a_request_by_handle_or_whole_code_or_registration_number_reaches_the_holder(
    board_member, db
):
    organisation = OrganisationFactory(registration_number="802002-4280")
    for asked_for, country in [
        (f"@{organisation.handle.lower()}", ""),
        (f"1a2b3c4d@{organisation.handle}", ""),
        ("SE802002428001", "SE"),
        ("8020024280", "SE"),
    ]:
        join_request = services.join_request_create(
            requester=board_member, asked_for=asked_for, country=country
        )
        assert join_request.organisation == organisation, asked_for
        services.join_request_cancel(join_request=join_request, requester=board_member)
    assert _mails_to(organisation.account_holder.email).count("join-request-received") == 4


def test_a_second_open_request_is_refused(board_member, organisation):
    _ask(board_member, organisation)
    with pytest.raises(JoinRequestError) as raised:
        services.join_request_create(requester=board_member, asked_for="Other")
    assert raised.value.code == "request_open"
    assert JoinRequest.objects.count() == 1


def test_a_second_open_request_gets_a_message_in_the_form(board_client, board_member):
    services.join_request_create(requester=board_member, asked_for="Nobody42")
    page = board_client.get(JOIN_URL).content.decode()
    assert "Your request is waiting" in page
    board_client.post(JOIN_URL, {"asked_for": "Another"})
    assert JoinRequest.objects.count() == 1


def test_someone_who_already_belongs_to_an_organisation_cannot_ask(organisation, db):
    other = OrganisationFactory()
    with pytest.raises(JoinRequestError) as raised:
        _ask(other.account_holder, organisation)
    assert raised.value.code == "already_member"
    assert not JoinRequest.objects.exists()


def test_an_empty_question_is_refused_with_a_message(board_client):
    response = board_client.post(JOIN_URL, {"asked_for": "  "})
    assert "Enter the organisation" in response.content.decode()
    assert not JoinRequest.objects.exists()


def test_the_holder_sees_the_name_and_email_and_accepts_with_the_rights_chosen(
    board_member, organisation, holder_client
):
    join_request = _ask(board_member, organisation)
    page = holder_client.get(reverse("accounts:join-request-list")).content.decode()
    assert "Karin Berg" in page and "karin@forening.example.se" in page
    response = holder_client.post(
        reverse("accounts:join-request-accept", args=[join_request.pk]),
        {"rights": [Right.MANAGE_APPROVAL_CODES]},
    )
    assert response.status_code == 302
    board_member.refresh_from_db()
    assert board_member.organisation == organisation
    assert rights_of(board_member) == {Right.MANAGE_APPROVAL_CODES}
    contact = Contact.objects.get(user=board_member)
    assert contact.sub_account_active and contact.organisation == organisation
    assert User.objects.filter(email__iexact=board_member.email).count() == 1
    assert "join-request-accepted" in _mails_to(board_member.email)
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.ACCEPTED
    assert join_request.rights == [Right.MANAGE_APPROVAL_CODES]


def test_accepting_reuses_an_existing_contact_with_the_same_address(board_member, organisation):
    existing = ContactFactory(organisation=organisation, email="KARIN@forening.example.se")
    contact = services.join_request_accept(
        join_request=_ask(board_member, organisation),
        actor=organisation.account_holder,
        rights=[],
    )
    assert contact.pk == existing.pk and contact.user == board_member


def test_a_sub_account_with_manage_contacts_grants_only_rights_it_holds(
    board_member, organisation, sub_account
):
    manager = sub_account(Right.MANAGE_CONTACTS, Right.MANAGE_APPROVAL_CODES).user
    join_request = _ask(board_member, organisation)
    for refused in ([Right.PLACE_ORDERS, Right.VIEW_PRODUCTS_ORDERS], [Right.MANAGE_CONTACTS]):
        with pytest.raises(JoinRequestError) as raised:
            services.join_request_accept(join_request=join_request, actor=manager, rights=refused)
        assert raised.value.code == "right_not_grantable"
    board_member.refresh_from_db()
    assert board_member.organisation is None
    services.join_request_accept(
        join_request=join_request, actor=manager, rights=[Right.MANAGE_APPROVAL_CODES]
    )
    assert rights_of(User.objects.get(pk=board_member.pk)) == {Right.MANAGE_APPROVAL_CODES}


def test_the_accept_form_offers_a_sub_account_only_rights_it_may_give(
    board_member, organisation, sub_account_client
):
    client = sub_account_client(Right.MANAGE_CONTACTS, Right.VIEW_PAY_INVOICES)
    join_request = _ask(board_member, organisation)
    page = client.get(reverse("accounts:join-request-accept", args=[join_request.pk])).content
    page = page.decode()
    assert 'value="view_pay_invoices"' in page
    assert 'value="manage_contacts"' not in page
    assert 'value="place_orders"' not in page


def test_a_sub_account_without_manage_contacts_cannot_see_requests(
    board_member, organisation, sub_account_client
):
    client = sub_account_client(Right.MANAGE_APPROVAL_CODES)
    join_request = _ask(board_member, organisation)
    assert client.get(reverse("accounts:join-request-list")).status_code == 403
    url = reverse("accounts:join-request-accept", args=[join_request.pk])
    assert client.post(url, {"rights": []}).status_code == 403


def test_another_organisations_join_request_is_a_404(board_member, organisation, db):
    join_request = _ask(board_member, organisation)
    stranger = Client()
    stranger.force_login(OrganisationFactory().account_holder)
    assert (
        stranger.get(reverse("accounts:join-request-accept", args=[join_request.pk])).status_code
        == 404
    )
    assert (
        stranger.post(reverse("accounts:join-request-decline", args=[join_request.pk])).status_code
        == 404
    )
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.PENDING


def test_the_holder_declines_and_the_person_is_told(board_member, organisation, holder_client):
    join_request = _ask(board_member, organisation)
    holder_client.post(reverse("accounts:join-request-decline", args=[join_request.pk]))
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.DECLINED
    assert "join-request-declined" in _mails_to(board_member.email)
    board_member.refresh_from_db()
    assert board_member.organisation is None


def test_a_request_expires_after_fourteen_days(board_member, organisation):
    join_request = _ask(board_member, organisation)
    with time_machine.travel(timezone.now() + timedelta(days=14, minutes=1)):
        with pytest.raises(JoinRequestError) as raised:
            services.join_request_accept(
                join_request=join_request, actor=organisation.account_holder, rights=[]
            )
        assert raised.value.code == "request_not_open"
        # Once it has expired, the person may ask again.
        again = services.join_request_create(requester=board_member, asked_for="Other")
    assert again.pk != join_request.pk
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.EXPIRED


def test_someone_who_meanwhile_joined_elsewhere_is_not_accepted(board_member, organisation):
    join_request = _ask(board_member, organisation)
    elsewhere = OrganisationFactory()
    board_member.organisation = elsewhere
    board_member.save()
    with pytest.raises(JoinRequestError):
        services.join_request_accept(
            join_request=join_request, actor=organisation.account_holder, rights=[]
        )
    assert not Contact.objects.filter(user=board_member).exists()


def test_an_address_that_is_a_contact_of_another_account_cannot_become_a_sub_account(
    board_member, organisation
):
    ContactFactory(organisation=OrganisationFactory(), email=board_member.email)
    with pytest.raises(JoinRequestError) as raised:
        services.join_request_accept(
            join_request=_ask(board_member, organisation),
            actor=organisation.account_holder,
            rights=[],
        )
    assert raised.value.code == "email_taken_elsewhere"
    board_member.refresh_from_db()
    assert board_member.organisation is None
