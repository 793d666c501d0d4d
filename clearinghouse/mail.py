"""Outgoing mail: recorded with the change that causes it, delivered by Celery after commit.

Each app's `emails.py` has one function per message (`email_code_issued(code)`, …), which calls

    send_email(name="approval-code-issued", to="a@example.org", language="sv", context={...})

renders `templates/emails/<name>-subject.txt`, `-body.txt` and `-body.html` in the recipient's
language, stores the message, and asks a worker to deliver it once the transaction commits.
If the broker is down the message waits; `undelivered_email_resend` sends it later, once.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation

from clearinghouse.celery import enqueue
from clearinghouse.models import OutboundEmail, OutboundEmailAttachment

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    content_type: str


CLAIM_FOR = timedelta(minutes=5)
RESEND_AFTER = timedelta(minutes=1)


def render_email(*, name: str, context: dict, language: str) -> tuple[str, str, str]:
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language):
        subject = _render_plain_text(f"emails/{name}-subject.txt", context)
        text = _render_plain_text(f"emails/{name}-body.txt", context)
        try:
            html = render_to_string(f"emails/{name}-body.html", context)
        except TemplateDoesNotExist:
            html = ""
    return " ".join(subject.split()), text.strip() + "\n", html


def _render_plain_text(template_name: str, context: dict) -> str:
    """Plain text is not HTML: "O'Brien" stays "O'Brien", not "O&#x27;Brien"."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


def send_email(
    *,
    name: str,
    to: str,
    context: dict,
    language: str | None = None,
    attachments: Sequence[Attachment] = (),
) -> OutboundEmail:
    """Record one message and deliver it after the surrounding transaction commits."""
    language = language or settings.LANGUAGE_CODE
    subject, text, html = render_email(name=name, context=context, language=language)
    return record_email(
        name=name,
        to=to,
        language=language,
        subject=subject,
        text=text,
        html=html,
        attachments=attachments,
    )


def send_email_to_user(user, *, name: str, context: dict) -> OutboundEmail:
    """`send_email` to one person with a login (a user): at their address, in their language."""
    return send_email(name=name, to=user.email, language=user.language, context=context)


def record_email(
    *,
    name: str,
    to: str,
    language: str,
    subject: str,
    text: str,
    html: str = "",
    attachments: Sequence[Attachment] = (),
) -> OutboundEmail:
    """Store an already rendered message (allauth renders its own) and deliver it after commit."""
    email = OutboundEmail.objects.create(
        template=name, to=to, language=language, subject=subject, body_text=text, body_html=html
    )
    OutboundEmailAttachment.objects.bulk_create(
        OutboundEmailAttachment(
            email=email, filename=a.filename, content_type=a.content_type, content=a.content
        )
        for a in attachments
    )
    transaction.on_commit(lambda: _enqueue_delivery(email.pk))
    return email


def _enqueue_delivery(email_id: int) -> None:
    from clearinghouse.tasks import email_deliver

    enqueue(email_deliver, email_id)  # if the broker is down, the resend job sends it later


def email_deliver(email_id: int) -> bool:
    """Send one recorded message unless it is sent or another worker holds it. True if sent."""
    now = timezone.now()
    claimed = (
        OutboundEmail.objects.filter(pk=email_id, sent_at__isnull=True)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + CLAIM_FOR, attempts=F("attempts") + 1)
    )
    if not claimed:
        return False
    email = OutboundEmail.objects.get(pk=email_id)
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        headers={"Message-ID": message_id(email)},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments.all():
        message.attach(attachment.filename, bytes(attachment.content), attachment.content_type)
    try:
        message.send()
    except Exception as error:
        backoff = timedelta(minutes=min(2**email.attempts, 60))
        OutboundEmail.objects.filter(pk=email_id).update(
            last_error=str(error)[:2000], claimed_until=timezone.now() + backoff
        )
        logger.warning("Delivering email %s failed: %s", email_id, error)
        return False
    OutboundEmail.objects.filter(pk=email_id).update(sent_at=timezone.now(), last_error="")
    return True


def message_id(email: OutboundEmail) -> str:
    """The same `Message-ID` every time this row is sent: delivery is at-least-once (a server
    may take a message just before the worker dies, and the claim runs out), and a repeat with
    the same id is recognisable and dropped by most mail servers."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "clearinghouse"
    return f"<outbox.{email.pk}.{int(email.created_at.timestamp())}@{domain}>"


def undelivered_email_ids(*, limit: int = 500) -> list[int]:
    now = timezone.now()
    return list(
        OutboundEmail.objects.filter(sent_at__isnull=True, created_at__lt=now - RESEND_AFTER)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )


def undelivered_email_resend() -> int:
    """Deliver what is still waiting; safe to run on two workers at once. Returns how many."""
    return sum(email_deliver(email_id) for email_id in undelivered_email_ids())
