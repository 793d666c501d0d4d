"""Join requests (R-VAL-11): a person who works for an organisation that already has an account
asks to join it instead of registering it again; the account holder, or a sub-account with
"Manage contacts", accepts (choosing the rights) or declines.

Nothing here tells the person whether anything matched: the request is kept and answered the
same way either way, and only the organisation's side ever sees the match.
"""

import re
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.emails import (
    email_join_request_accepted,
    email_join_request_declined,
    email_join_request_received,
    email_join_request_sent,
)
from accounts.errors import AccountsErrorCode, JoinRequestError
from accounts.identity import registration_number_key
from accounts.models import Contact, JoinRequest, Organisation, User
from accounts.one_login import refuse_donor_login
from accounts.permissions import Right, rights_not_grantable_by, user_has_right
from accounts.selectors import join_request_managers
from accounts.services.contacts import (
    _check_email_free_for_sub_account,
    _check_not_a_contact_elsewhere,
)
from accounts.services.rights import rights_set, rights_together_check, rights_values
from clearinghouse.audit import record_event_about

_HANDLE = re.compile(r"^@?(?P<handle>[A-Za-z0-9]+)$")


def _matching_organisation(*, asked_for: str, country: str) -> Organisation | None:
    """The organisation whose handle (alone, with an @, or inside a whole approval code) or
    registration number (in the given country) is `asked_for`; denied ones never match."""
    candidates = Organisation.objects.exclude(status=Organisation.Status.DENIED).order_by(
        "created_at", "pk"
    )
    text = asked_for.strip()
    match = _HANDLE.match(text.rsplit("@", 1)[-1] if "@" in text else text)
    if match:
        found = candidates.filter(handle__iexact=match["handle"]).first()
        if found is not None:
            return found
    if country:
        key = registration_number_key(country, text)
        if key:
            return candidates.filter(registration_key=key).first()
    return None


def _expire_old(*, requester: User, now) -> None:
    JoinRequest.objects.filter(
        requester=requester, status=JoinRequest.Status.PENDING, expires_at__lte=now
    ).update(status=JoinRequest.Status.EXPIRED)


@transaction.atomic
def join_request_create(
    *, requester: User, asked_for: str, country: str = "", message: str = ""
) -> JoinRequest:
    """Ask to join the organisation named by handle or registration number. The person is told
    the same whatever matched; the organisation's holder and contact managers are emailed."""
    asked_for = (asked_for or "").strip()
    if not asked_for:
        raise JoinRequestError(
            _("Enter the organisation's handle or registration number."),
            code=AccountsErrorCode.NOTHING_ASKED,
            field="asked_for",
        )
    requester = User.objects.select_for_update().get(pk=requester.pk)
    if requester.organisation_id is not None:
        raise JoinRequestError(
            _("You already belong to an organisation, so you cannot join another one."),
            code=AccountsErrorCode.ALREADY_MEMBER,
        )
    refuse_donor_login(user=requester, error=JoinRequestError)
    now = timezone.now()
    _expire_old(requester=requester, now=now)
    if JoinRequest.objects.filter(requester=requester, status=JoinRequest.Status.PENDING).exists():
        raise JoinRequestError(
            _(
                "You already have a request waiting. Cancel it first if you want to ask "
                "another organisation."
            ),
            code=AccountsErrorCode.REQUEST_OPEN,
        )
    organisation = _matching_organisation(asked_for=asked_for, country=country)
    join_request = JoinRequest.objects.create(
        requester=requester,
        organisation=organisation,
        asked_for=asked_for[:200],
        country=country or "",
        message=(message or "").strip(),
        expires_at=now + timedelta(days=JoinRequest.VALID_FOR_DAYS),
    )
    record_event_about(
        join_request,
        verb="join_request.created",
        actor=requester,
        data={"asked_for": join_request.asked_for, "matched": organisation is not None},
    )
    email_join_request_sent(join_request)
    if organisation is not None:
        for manager in join_request_managers(organisation=organisation):
            email_join_request_received(join_request, manager=manager)
    return join_request


@transaction.atomic
def join_request_cancel(*, join_request: JoinRequest, requester: User) -> JoinRequest:
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if join_request.requester_id != requester.pk or not join_request.is_open(timezone.now()):
        raise JoinRequestError(
            _("This request is no longer waiting."), code=AccountsErrorCode.REQUEST_NOT_OPEN
        )
    join_request.status = JoinRequest.Status.CANCELLED
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "decided_at"])
    record_event_about(join_request, verb="join_request.cancelled", actor=requester)
    return join_request


def _lock_open_for(join_request: JoinRequest, actor: User) -> JoinRequest:
    locked = (
        JoinRequest.objects.select_for_update(of=("self",))
        .select_related("requester", "organisation")
        .get(pk=join_request.pk)
    )
    if (
        locked.organisation_id is None
        or locked.organisation_id != actor.organisation_id
        or not user_has_right(actor, Right.MANAGE_CONTACTS)
    ):
        raise JoinRequestError(
            _("You need the right “%(right)s” to answer join requests.")
            % {"right": Right.MANAGE_CONTACTS.label},
            code=AccountsErrorCode.NOT_ALLOWED,
        )
    if not locked.is_open(timezone.now()):
        raise JoinRequestError(
            _("This request is no longer waiting: it was answered, cancelled or has expired."),
            code=AccountsErrorCode.REQUEST_NOT_OPEN,
        )
    return locked


@transaction.atomic
def join_request_accept(*, join_request: JoinRequest, actor: User, rights) -> Contact:
    """Accept: the person's existing sign-in becomes a contact with a sub-account of the
    organisation, with exactly the `rights` chosen (no new user is made). The rights are ones
    the accepting person may give (R-CON-11); the address may not sign in anywhere else
    (R-CON-9)."""
    join_request = _lock_open_for(join_request, actor)
    organisation = join_request.organisation
    assert organisation is not None  # _lock_open_for: only a matched request is answered
    rights = _grantable_rights_check(actor, rights)
    person = User.objects.select_for_update().get(pk=join_request.requester_id)
    if person.organisation_id is not None or Contact.objects.filter(user=person).exists():
        raise JoinRequestError(
            _("This person has meanwhile joined an organisation; the request cannot be accepted."),
            code=AccountsErrorCode.ALREADY_MEMBER,
        )
    refuse_donor_login(user=person, error=JoinRequestError)
    contact = _contact_for_joining(organisation=organisation, person=person)
    contact.sub_account_active = True
    rights_set(contact, rights)
    person.organisation = organisation
    person.is_active = True
    person.save(update_fields=["organisation", "is_active"])
    contact.save()
    join_request.rights = sorted(rights)
    _decided(join_request, JoinRequest.Status.ACCEPTED, actor=actor, also=["rights"])
    record_event_about(
        join_request,
        verb="join_request.accepted",
        actor=actor,
        data={"email": person.email, "rights": sorted(rights)},
    )
    record_event_about(
        contact,
        verb="contact.sub_account_activated",
        actor=actor,
        data={"email": contact.email, "rights": sorted(rights), "join_request": join_request.pk},
    )
    email_join_request_accepted(
        join_request, person=person, rights=[Right(r).label for r in sorted(rights)]
    )
    return contact


def _grantable_rights_check(actor: User, rights) -> set[str]:
    """The rights to give, as values: ones the actor holds (R-CON-11), and together with those
    they need."""
    rights = rights_values(rights)
    if not_grantable := rights_not_grantable_by(actor, rights):
        raise JoinRequestError(
            _("You cannot give rights you do not hold yourself: %(rights)s.")
            % {"rights": ", ".join(f"“{Right(r).label}”" for r in sorted(not_grantable))},
            code=AccountsErrorCode.RIGHT_NOT_GRANTABLE,
            field="rights",
        )
    rights_together_check(rights, error=JoinRequestError, field="rights")
    return rights


def _contact_for_joining(*, organisation: Organisation, person: User) -> Contact:
    """The person's contact row in the organisation (an existing one without sign-in and with
    the same address, else a new one), given their sign-in; refused when the address is taken
    elsewhere (R-CON-9)."""
    contact = (
        Contact.objects.select_for_update()
        .filter(organisation=organisation, email__iexact=person.email, user__isnull=True)
        .first()
    )
    if contact is None:
        contact = Contact.of_person(person, organisation=organisation)
    contact.user = person
    _check_email_free_for_sub_account(email=person.email, contact=contact)
    _check_not_a_contact_elsewhere(
        email=person.email, organisation=organisation, error=JoinRequestError, field=None
    )
    contact.first_name = contact.first_name or person.first_name
    contact.last_name = contact.last_name or person.last_name
    return contact


def _decided(join_request: JoinRequest, status, *, actor: User, also=()) -> None:
    """Record the answer on the request (and the `also` fields set before)."""
    join_request.status = status
    join_request.decided_at = timezone.now()
    join_request.decided_by = actor
    join_request.save(update_fields=["status", "decided_at", "decided_by", *also])


@transaction.atomic
def join_request_decline(*, join_request: JoinRequest, actor: User) -> JoinRequest:
    join_request = _lock_open_for(join_request, actor)
    _decided(join_request, JoinRequest.Status.DECLINED, actor=actor)
    record_event_about(
        join_request,
        verb="join_request.declined",
        actor=actor,
        data={"email": join_request.requester.email},
    )
    email_join_request_declined(join_request)
    return join_request
