"""The mail of accounts, one function per message (`email_<message>`), and the helper every app's
messages to an organisation go through: one message per recipient, in the recipient's language.

A message to an extra contact carries, in its footer, a link that stops that category of mail
for that contact without signing in (a signed token names the contact and the category).
"""

from django.core import signing
from django.urls import reverse

from accounts.models import ContactInvitation, Organisation
from accounts.selectors import recipients_of
from clearinghouse.mail import send_email, send_email_to_user

_STOP_SALT = "accounts.email-stop"


def email_stop_token(*, contact_id: int, category: str) -> str:
    return signing.dumps({"contact": contact_id, "category": category}, salt=_STOP_SALT)


def email_stop_token_read(token: str) -> tuple[int, str] | None:
    """(contact id, category) from a footer link's token; None if it was tampered with."""
    try:
        data = signing.loads(token, salt=_STOP_SALT)
        return int(data["contact"]), str(data["category"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def email_stop_path(*, contact_id: int, category: str) -> str:
    token = email_stop_token(contact_id=contact_id, category=category)
    return reverse("accounts:email-stop", args=[token])


def send_to_organisation(
    *, organisation: Organisation, category: str, name: str, context: dict, attachments=()
):
    """Send template `name` to everyone who receives `category` messages of `organisation`,
    each with `attachments` (`clearinghouse.mail.Attachment`s).

    Call it inside the transaction of the change that causes the message.
    """
    context = {"organisation": organisation, **context}
    messages = []
    for recipient in recipients_of(organisation=organisation, category=category):
        recipient_context = context
        if recipient.contact_id is not None:
            recipient_context = {
                **context,
                "email_stop_path": email_stop_path(
                    contact_id=recipient.contact_id, category=category
                ),
            }
        messages.append(
            send_email(
                name=name,
                to=recipient.email,
                language=recipient.language,
                context=recipient_context,
                attachments=attachments,
            )
        )
    return messages


def email_contact_invitation(*, invitation: ContactInvitation, token: str, invited_by: str) -> None:
    """The invitation to a sub-account's contact, with the link that sets its password."""
    contact = invitation.contact
    send_email(
        name="contacts-invitation",
        to=contact.email,
        language=contact.user.language if contact.user_id else contact.language,
        context={
            "contact": contact,
            "organisation": contact.organisation,
            "invited_by": invited_by,
            "accept_path": reverse("accounts:invitation-accept", args=[token]),
            "expires_at": invitation.expires_at,
            "valid_for_days": ContactInvitation.VALID_FOR_DAYS,
        },
    )


def email_join_request_sent(join_request) -> None:
    """To the person who asked to join, that the request is on its way."""
    send_email_to_user(
        join_request.requester,
        name="join-request-sent",
        context={"join_request": join_request, "valid_for_days": join_request.VALID_FOR_DAYS},
    )


def email_join_request_received(join_request, *, manager) -> None:
    """To one of the organisation's people who may accept the request."""
    send_email_to_user(
        manager,
        name="join-request-received",
        context={
            "join_request": join_request,
            "organisation": join_request.organisation,
            "requester": join_request.requester,
        },
    )


def email_join_request_accepted(join_request, *, person, rights: list) -> None:
    send_email_to_user(
        person,
        name="join-request-accepted",
        context={
            "join_request": join_request,
            "organisation": join_request.organisation,
            "rights": rights,
        },
    )


def email_join_request_declined(join_request) -> None:
    send_email_to_user(
        join_request.requester,
        name="join-request-declined",
        context={"join_request": join_request, "organisation": join_request.organisation},
    )


def email_hand_over_confirm(hand_over, *, token: str, from_name: str) -> None:
    """To the contact who is to become account holder: the link that confirms it."""
    contact = hand_over.to_contact
    send_email_to_user(
        contact.user,
        name="hand-over-confirm",
        context={
            "organisation": hand_over.organisation,
            "contact": contact,
            "from_name": from_name,
            "confirm_path": reverse("accounts:hand-over-confirm", args=[token]),
            "expires_at": hand_over.expires_at,
        },
    )


def email_hand_over_done(organisation: Organisation, *, person, new_holder) -> None:
    """To the new and the former account holder, once the hand-over is done."""
    send_email_to_user(
        person,
        name="hand-over-done",
        context={
            "organisation": organisation,
            "new_holder": new_holder.get_full_name() or new_holder.email,
            "is_new_holder": person.pk == new_holder.pk,
        },
    )
