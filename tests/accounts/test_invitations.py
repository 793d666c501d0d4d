"""Invitations: a one-time link, valid 7 days, with which a sub-account chooses its password."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.errors import InvitationError
from accounts.models import ContactInvitation, User
from accounts.permissions import Right
from accounts.services import invitation_accept, sub_account_update
from clearinghouse.models import AuditEvent, OutboundEmail

pytestmark = pytest.mark.django_db

STRONG = "Blue-Kettle-Orbit-42"


def _invite(contact, holder):
    sub_account_update(
        contact=contact,
        actor=holder,
        active=True,
        rights=[Right.MANAGE_APPROVAL_CODES],
        invite=True,
    )
    email = OutboundEmail.objects.filter(to=contact.email).latest("pk")
    return re.search(r"/account/invitation/([^/]+)/", email.body_text)[1]


def test_an_invitation_mails_a_link_and_the_person_chooses_a_password(client, contact, holder):
    token = _invite(contact, holder)
    contact.refresh_from_db()
    assert not contact.user.has_usable_password()
    url = reverse("accounts:invitation-accept", args=[token])
    assert "Choose your password" in client.get(url).content.decode()
    response = client.post(url, {"new_password1": STRONG, "new_password2": STRONG})
    assert response.status_code == 302
    user = User.objects.get(pk=contact.user_id)
    assert user.check_password(STRONG)
    assert AuditEvent.objects.filter(verb="contact.invitation_accepted").exists()
    assert client.login(email=contact.email, password=STRONG)


def test_the_link_works_only_once(client, contact, holder):
    token = _invite(contact, holder)
    invitation_accept(token=token, password=STRONG)
    assert client.get(reverse("accounts:invitation-accept", args=[token])).status_code == 404
    with pytest.raises(InvitationError):
        invitation_accept(token=token, password="Another-Strong-Pass-9")


def test_the_link_expires_after_7_days(client, contact, holder):
    token = _invite(contact, holder)
    url = reverse("accounts:invitation-accept", args=[token])
    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23)):
        assert client.get(url).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        response = client.get(url)
        assert response.status_code == 404
        assert "no longer valid" in response.content.decode()


def test_a_weak_password_is_refused_on_the_invitation_page(client, contact, holder):
    token = _invite(contact, holder)
    response = client.post(
        reverse("accounts:invitation-accept", args=[token]),
        {"new_password1": "password", "new_password2": "password"},
    )
    assert "too common" in response.content.decode()
    contact.refresh_from_db()
    assert not contact.user.has_usable_password()


def test_resending_makes_a_new_link_and_the_old_one_stops_working(holder_client, contact, holder):
    old = _invite(contact, holder)
    holder_client.post(reverse("accounts:contact-invitation-send", args=[contact.pk]))
    new = re.search(
        r"/account/invitation/([^/]+)/",
        OutboundEmail.objects.filter(to=contact.email).latest("pk").body_text,
    )[1]
    assert new != old
    with pytest.raises(InvitationError):
        invitation_accept(token=old, password=STRONG)
    invitation_accept(token=new, password=STRONG)


def test_cancelling_an_invitation_stops_its_link(holder_client, contact, holder):
    token = _invite(contact, holder)
    page = holder_client.get(reverse("accounts:contact-edit", args=[contact.pk])).content.decode()
    assert "Pending invitation" in page and "Resend invitation" in page
    holder_client.post(reverse("accounts:contact-invitation-cancel", args=[contact.pk]))
    assert ContactInvitation.objects.get().cancelled_at is not None
    with pytest.raises(InvitationError):
        invitation_accept(token=token, password=STRONG)
    page = holder_client.get(reverse("accounts:contact-edit", args=[contact.pk])).content.decode()
    assert "Pending invitation" not in page


def test_deactivating_the_sub_account_cancels_its_invitation(contact, holder):
    token = _invite(contact, holder)
    sub_account_update(contact=contact, actor=holder, active=False)
    with pytest.raises(InvitationError):
        invitation_accept(token=token, password=STRONG)


def test_only_the_account_holder_resends_or_cancels(client, sub_account, contact, holder):
    _invite(contact, holder)
    manager = sub_account(Right.MANAGE_CONTACTS)
    client.force_login(manager.user)
    for name in ("accounts:contact-invitation-send", "accounts:contact-invitation-cancel"):
        assert client.post(reverse(name, args=[contact.pk])).status_code == 403
    assert ContactInvitation.objects.get().cancelled_at is None


def test_an_unknown_token_is_a_404(client, db):
    response = client.get(reverse("accounts:invitation-accept", args=["nonsense"]))
    assert response.status_code == 404


def test_an_expired_invitation_is_shown_and_can_be_resent(holder_client, contact, holder):
    _invite(contact, holder)
    url = reverse("accounts:contact-edit", args=[contact.pk])
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        page = holder_client.get(url).content.decode()
        assert "Expired invitation" in page and "Resend invitation" in page
        holder_client.post(reverse("accounts:contact-invitation-send", args=[contact.pk]))
        assert "Pending invitation" in holder_client.get(url).content.decode()
