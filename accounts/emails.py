"""Mail to an organisation: one message per recipient, each in the recipient's language.

A message to an extra contact carries, in its footer, a link that stops that category of mail
for that contact without signing in (a signed token names the contact and the category).
"""

from django.core import signing
from django.urls import reverse

from accounts.models import Organisation
from accounts.selectors import recipients_of
from clearinghouse.mail import send_email

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
