"""A login belongs to one donor partner or to one organisation, never both, enforced from the
organisation side too (issue 14, item 3): every way a user becomes an organisation's member
refuses a donor partner's person with the reason and changes nothing."""

import pytest
from django.contrib.auth.models import Permission
from django.forms import MultiWidget
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts import services
from accounts.admin import ContactAdmin, UserAdmin
from accounts.errors import (
    AccountsErrorCode,
    ContactError,
    HandOverError,
    InvitationError,
    JoinRequestError,
)
from accounts.models import Contact, ContactInvitation, JoinRequest, Organisation, User
from accounts.one_login import LoginOfADonor
from accounts.permissions import Right
from approval_codes.models import Donor, DonorMembership
from clearinghouse.models import OutboundEmail
from tests.accounts.factories import ContactFactory
from tests.accounts.test_invitations import _invite as invite
from tests.factories import UserFactory
from validation import services as validation_services
from validation.errors import ValidationErrorCode, ValidationRefused
from validation.models import Statement

pytestmark = pytest.mark.django_db

REASON = "A login belongs to one donor partner or to one organisation, never both"
STRONG = "Blue-Kettle-Orbit-42"


def make_donor_person(user):
    """`user` a person of a donor partner (made directly, as a membership from before this
    rule was enforced would be, where the donor side could not have refused it)."""
    donor, _created = Donor.objects.get_or_create(name="Microsoft", defaults={"slug": "ms"})
    DonorMembership.objects.create(donor=donor, user=user)
    return user


@pytest.fixture
def donor_person(db):
    return make_donor_person(UserFactory(email="dev@microsoft.example"))


def test_a_donor_person_cannot_apply_for_an_organisation(donor_person):
    with pytest.raises(ValidationRefused) as refused:
        validation_services.application_submit(
            user=donor_person,
            statements=list(Statement.values),
            legal_name="Malmö Reading Club",
            type=Organisation.Type.NONPROFIT,
            country="SE",
            registration_number="802002-4280",
            address="Lilla torg 1\n211 34 Malmö",
        )
    assert refused.value.code == ValidationErrorCode.LOGIN_OF_A_DONOR
    assert REASON in refused.value.message
    assert not Organisation.objects.exists()
    donor_person.refresh_from_db()
    assert donor_person.organisation_id is None


def test_a_donor_person_cannot_ask_to_join_and_is_told_why(client, donor_person, organisation):
    client.force_login(donor_person)
    response = client.post(
        reverse("accounts:join-request-create"), {"asked_for": organisation.handle}
    )
    assert REASON in response.content.decode()
    assert not JoinRequest.objects.exists()
    with pytest.raises(JoinRequestError) as refused:
        services.join_request_create(requester=donor_person, asked_for=organisation.handle)
    assert refused.value.code == AccountsErrorCode.LOGIN_OF_A_DONOR


def test_a_join_request_of_someone_who_became_a_donor_person_cannot_be_accepted(
    organisation, holder
):
    person = UserFactory(email="karin@forening.example.se")
    join_request = services.join_request_create(requester=person, asked_for=organisation.handle)
    make_donor_person(person)

    with pytest.raises(JoinRequestError) as refused:
        services.join_request_accept(
            join_request=join_request, actor=holder, rights=[Right.MANAGE_APPROVAL_CODES]
        )

    assert REASON in refused.value.message
    person.refresh_from_db()
    assert person.organisation_id is None
    assert not Contact.objects.filter(user=person).exists()
    assert JoinRequest.objects.get().status == JoinRequest.Status.PENDING


@pytest.mark.parametrize("how", ["password", "invitation"])
def test_a_contact_with_a_donor_persons_address_gets_no_sign_in_and_no_invitation(
    organisation, holder, donor_person, how
):
    contact = ContactFactory(organisation=organisation, email=donor_person.email.upper())
    mails = OutboundEmail.objects.count()

    with pytest.raises(ContactError) as refused:
        services.sub_account_update(
            contact=contact,
            actor=holder,
            active=True,
            rights=[Right.MANAGE_APPROVAL_CODES],
            password=STRONG if how == "password" else "",
            invite=how == "invitation",
        )

    assert refused.value.code == AccountsErrorCode.LOGIN_OF_A_DONOR
    assert refused.value.field == "email"
    contact.refresh_from_db()
    assert contact.user_id is None and not contact.sub_account_active
    assert not ContactInvitation.objects.exists()
    assert OutboundEmail.objects.count() == mails
    donor_person.refresh_from_db()
    assert donor_person.organisation_id is None


def test_an_invitation_is_neither_sent_nor_accepted_for_a_donor_persons_login(
    organisation, holder, contact
):
    token = invite(contact, holder)
    contact.refresh_from_db()
    make_donor_person(contact.user)

    with pytest.raises(InvitationError) as refused:
        services.invitation_accept(token=token, password=STRONG)
    assert REASON in refused.value.message
    with pytest.raises(InvitationError):
        services.invitation_send(contact=contact, actor=holder)

    user = User.objects.get(pk=contact.user_id)
    assert not user.has_usable_password()
    assert ContactInvitation.objects.get().accepted_at is None


def test_the_account_is_not_handed_over_to_a_donor_persons_login(
    organisation, holder, sub_account, settings
):
    successor = sub_account(Right.MANAGE_APPROVAL_CODES)
    make_donor_person(successor.user)

    with pytest.raises(HandOverError) as refused:
        services.hand_over_start(
            organisation=organisation, actor=holder, to_contact=successor, former_holder_rights=()
        )
    assert refused.value.field == "to_contact" and REASON in refused.value.message

    settings.REQUIRE_STAFF_MFA = False
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(
        Permission.objects.get(codename="hand_over_organisation"),
        Permission.objects.get(codename="view_organisation"),
    )
    client = Client()
    client.force_login(staff)
    url = reverse("admin:accounts_organisation_hand_over", args=[organisation.pk])
    response = client.post(url, {"to_contact": successor.pk, "reason": "Holder left."})
    assert response.status_code == 200
    assert REASON in response.content.decode()
    assert Organisation.objects.get(pk=organisation.pk).account_holder == holder


def _admin_form(model_admin, obj, **changes):
    """The admin change form of `obj` as staff would post it, with `changes`."""
    request = RequestFactory().get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    form_class = model_admin.get_form(request, obj, change=True)
    unbound = form_class(instance=obj)
    data = {}
    for field in unbound:
        value = field.value()
        if isinstance(field.field.widget, MultiWidget):
            for index, part in enumerate(field.field.widget.decompress(value)):
                data[f"{field.html_name}_{index}"] = part or ""
        elif value not in (None, False):
            data[field.html_name] = value
    data.update(changes)
    return form_class(data, instance=obj)


def test_staff_cannot_give_a_donor_persons_login_an_organisation_or_a_contact(
    organisation, donor_person
):
    from django.contrib import admin

    user_form = _admin_form(UserAdmin(User, admin.site), donor_person, organisation=organisation.pk)
    assert not user_form.is_valid()
    assert REASON in str(user_form.errors["organisation"])

    contact = ContactFactory(organisation=organisation)
    contact_form = _admin_form(ContactAdmin(Contact, admin.site), contact, user=donor_person.pk)
    assert not contact_form.is_valid()
    assert REASON in str(contact_form.errors["user"])

    other = UserFactory(email="someone@else.example")
    assert _admin_form(UserAdmin(User, admin.site), other, organisation=organisation.pk).is_valid()


def test_no_path_at_all_saves_a_donor_persons_login_into_an_organisation(
    organisation, donor_person
):
    """The last line, in the ORM: whatever forgot to ask."""
    donor_person.organisation = organisation
    with pytest.raises(LoginOfADonor):
        donor_person.save()
    with pytest.raises(LoginOfADonor):
        ContactFactory(organisation=organisation, user=donor_person)
    organisation.account_holder = donor_person
    with pytest.raises(LoginOfADonor):
        organisation.save()
    assert User.objects.get(pk=donor_person.pk).organisation_id is None
