"""Handing the account over (R-VAL-11: boards change every year). The account holder names
another sub-account; that person confirms from a mail link and becomes the main contact; the
former holder stays a contact with the rights chosen. Staff can hand over an account whose
holder is gone, in admin, with a reason. Both ways end in `_account_holder_change`."""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.emails import email_hand_over_confirm, email_hand_over_done
from accounts.errors import AccountsErrorCode, HandOverError
from accounts.models import Contact, HandOver, Organisation, User
from accounts.one_login import refuse_donor_login
from accounts.services.contacts import _require_account_holder
from accounts.services.organisations import main_contact_ensure
from accounts.services.rights import rights_set, rights_together_check, rights_values
from clearinghouse.audit import record_event_about


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_new_holder(*, organisation: Organisation, contact: Contact, current: User) -> None:
    if contact.organisation_id != organisation.pk:
        raise HandOverError(
            _("Choose one of your organisation's contacts."),
            code=AccountsErrorCode.NOT_OURS,
            field="to_contact",
        )
    if contact.user_id is not None and contact.user_id == current.pk:
        raise HandOverError(
            _("You are already the account holder. Choose someone else."),
            code=AccountsErrorCode.HAND_OVER_TO_SELF,
            field="to_contact",
        )
    if contact.is_main or contact.user_id is None or not contact.sub_account_active:
        raise HandOverError(
            _(
                "The new account holder needs an active sub-account. Activate one for this "
                "contact under Contacts first."
            ),
            code=AccountsErrorCode.NO_SUB_ACCOUNT,
            field="to_contact",
        )
    refuse_donor_login(user=contact.user, error=HandOverError, field="to_contact")


def _check_rights(rights) -> set[str]:
    rights = rights_values(rights)
    rights_together_check(rights, error=HandOverError, field="former_holder_rights")
    return rights


def _cancel_open(organisation: Organisation) -> int:
    return HandOver.objects.filter(
        organisation=organisation, confirmed_at__isnull=True, cancelled_at__isnull=True
    ).update(cancelled_at=timezone.now())


@transaction.atomic
def hand_over_start(
    *, organisation: Organisation, actor: User, to_contact: Contact, former_holder_rights=()
) -> HandOver:
    """The account holder names the new holder, who is emailed a link to confirm. Starting
    again cancels the earlier link. Nothing changes until the new holder confirms."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    _require_account_holder(actor, organisation)
    to_contact = Contact.objects.select_related("user").get(pk=to_contact.pk)
    _check_new_holder(organisation=organisation, contact=to_contact, current=actor)
    rights = _check_rights(former_holder_rights)
    _cancel_open(organisation)
    token = secrets.token_urlsafe(32)
    hand_over = HandOver.objects.create(
        organisation=organisation,
        from_user=actor,
        to_contact=to_contact,
        former_holder_rights=sorted(rights),
        token_hash=_token_hash(token),
        expires_at=timezone.now() + timedelta(days=HandOver.VALID_FOR_DAYS),
    )
    email_hand_over_confirm(hand_over, token=token, from_name=actor.get_full_name() or actor.email)
    record_event_about(
        organisation,
        verb="organisation.hand_over_started",
        actor=actor,
        data={"to": to_contact.user.email, "former_holder_rights": sorted(rights)},  # type: ignore[union-attr]
    )
    return hand_over


@transaction.atomic
def hand_over_cancel(*, organisation: Organisation, actor: User) -> None:
    _require_account_holder(actor, organisation)
    if not _cancel_open(organisation):
        raise HandOverError(
            _("There is no hand-over waiting."), code=AccountsErrorCode.NO_HAND_OVER
        )
    record_event_about(organisation, verb="organisation.hand_over_cancelled", actor=actor)


def hand_over_for_token(token: str) -> HandOver | None:
    """The pending hand-over the link is for; None if unknown, used, cancelled or expired."""
    hand_over = (
        HandOver.objects.select_related("organisation", "to_contact__user", "from_user")
        .filter(token_hash=_token_hash(token))
        .first()
    )
    if hand_over is None or not hand_over.is_pending(timezone.now()):
        return None
    return hand_over


@transaction.atomic
def hand_over_confirm(*, token: str, user: User) -> Organisation:
    """The named person confirms from the link, signed in as themselves."""
    hand_over = hand_over_for_token(token)
    if hand_over is not None:
        hand_over = HandOver.objects.select_for_update().get(pk=hand_over.pk)
    if (
        hand_over is None
        or not hand_over.is_pending(timezone.now())
        or hand_over.to_contact.user_id != user.pk
    ):
        raise HandOverError(
            _("This link is no longer valid. Ask your account holder to start again."),
            code=AccountsErrorCode.HAND_OVER_NOT_VALID,
        )
    organisation = hand_over.organisation
    if organisation.account_holder_id != hand_over.from_user_id:
        raise HandOverError(
            _("The account has meanwhile changed hands; this link no longer applies."),
            code=AccountsErrorCode.HAND_OVER_NOT_VALID,
        )
    _check_new_holder(
        organisation=organisation, contact=hand_over.to_contact, current=hand_over.from_user
    )
    hand_over.confirmed_at = timezone.now()
    hand_over.save(update_fields=["confirmed_at"])
    return _account_holder_change(
        organisation=organisation,
        new_contact=hand_over.to_contact,
        former_holder_rights=hand_over.former_holder_rights,
        former_holder_active=True,
        actor=user,
        reason="",
    )


@transaction.atomic
def hand_over_force(
    *, organisation: Organisation, to_contact: Contact, actor: User, reason: str
) -> Organisation:
    """Staff hand over an account whose holder is gone (admin, with a reason). The former
    holder keeps a contact row but its sign-in is switched off."""
    reason = (reason or "").strip()
    if not reason:
        raise HandOverError(
            _("Write the reason for the hand-over; it is kept in the history."),
            code=AccountsErrorCode.REASON_REQUIRED,
            field="reason",
        )
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    to_contact = Contact.objects.select_related("user").get(pk=to_contact.pk)
    _check_new_holder(
        organisation=organisation, contact=to_contact, current=organisation.account_holder
    )
    _cancel_open(organisation)
    return _account_holder_change(
        organisation=organisation,
        new_contact=to_contact,
        former_holder_rights=(),
        former_holder_active=False,
        actor=actor,
        reason=reason,
    )


def _former_holder_keep(old_main: Contact, *, former: User, rights, active: bool) -> None:
    """The former holder's row becomes an ordinary contact with `rights`; with `active` off its
    sign-in is switched off as well."""
    old_main.is_main = False
    old_main.user = former
    old_main.sub_account_active = active
    rights_set(old_main, rights)
    old_main.save()
    if not active:
        former.is_active = False
        former.save(update_fields=["is_active"])


def _account_holder_change(
    *,
    organisation: Organisation,
    new_contact: Contact,
    former_holder_rights,
    former_holder_active: bool,
    actor: User,
    reason: str,
) -> Organisation:
    """Make `new_contact` the main contact and its sign-in the account holder; the former
    holder stays a contact (its sign-in on or off, with `former_holder_rights`)."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    old_main = main_contact_ensure(organisation=organisation)
    old_main = Contact.objects.select_for_update().get(pk=old_main.pk)
    new_contact = Contact.objects.select_for_update().get(pk=new_contact.pk)
    former, new = organisation.account_holder, new_contact.user
    assert new is not None  # _check_new_holder: the new holder is a contact with a sign-in

    _former_holder_keep(
        old_main, former=former, rights=former_holder_rights, active=former_holder_active
    )
    new_contact.is_main = True
    new_contact.sub_account_active = False
    rights_set(new_contact, ())
    new_contact.save()

    organisation.account_holder = new
    if organisation.billing_contact_id == new_contact.pk:
        organisation.billing_contact = None  # the main contact is the default addressee
    organisation.save(update_fields=["account_holder", "billing_contact"])
    record_event_about(
        organisation,
        verb="organisation.account_holder_changed",
        actor=actor,
        data={
            "from": former.email,
            "to": new.email,
            "reason": reason,
            "by_staff": bool(reason),
            "former_holder_rights": sorted(former_holder_rights),
            "former_holder_active": former_holder_active,
        },
    )
    for person in (new, former):
        email_hand_over_done(organisation, person=person, new_holder=new)
    return organisation
