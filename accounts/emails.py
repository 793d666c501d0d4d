"""Mail to an organisation: one message per recipient, each in the recipient's language."""

from accounts.models import Organisation
from accounts.selectors import organisation_recipients
from clearinghouse.mail import send_email


def send_to_organisation(*, organisation: Organisation, category: str, name: str, context: dict):
    """Send template `name` to everyone who receives `category` messages of `organisation`.

    Call it inside the transaction of the change that causes the message.
    """
    context = {"organisation": organisation, **context}
    return [
        send_email(name=name, to=email, language=language, context=context)
        for email, language in organisation_recipients(organisation=organisation, category=category)
    ]
