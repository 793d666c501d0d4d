"""The outbox: mail is recorded with the change, delivered after commit, never lost or doubled."""

from datetime import timedelta

import pytest
from django.core import mail as django_mail
from django.db import transaction
from django.utils import timezone

from clearinghouse import mail
from clearinghouse.models import OutboundEmail

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down(monkeypatch):
    """Publishing fails the way it does when the broker is unreachable."""
    from kombu.exceptions import OperationalError

    from clearinghouse.tasks import email_deliver

    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to broker. Connection refused.")

    monkeypatch.setattr(email_deliver, "apply_async", refuse)


def _age(email, minutes=5):
    OutboundEmail.objects.filter(pk=email.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes)
    )


def test_a_message_is_recorded_rendered_and_delivered_after_commit(
    email_template, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        email = mail.send_email(name="greeting", to="ada@example.org", context={"name": "Ada"})
        assert len(django_mail.outbox) == 0  # nothing leaves before the commit

    assert len(callbacks) == 1
    email.refresh_from_db()
    assert email.sent_at is not None
    [sent] = django_mail.outbox
    assert (sent.subject, sent.to) == ("My account: Ada", ["ada@example.org"])
    assert sent.alternatives[0][0] == "<p>Dear Ada</p>"


def test_a_rolled_back_change_sends_nothing(email_template):
    with pytest.raises(RuntimeError), transaction.atomic():
        mail.send_email(name="greeting", to="ada@example.org", context={"name": "Ada"})
        raise RuntimeError("the change failed")

    assert OutboundEmail.objects.count() == 0
    assert django_mail.outbox == []


def test_the_message_is_rendered_in_the_recipients_language(email_template):
    email = mail.send_email(
        name="greeting", to="a@example.org", context={"name": "A"}, language="sv"
    )
    assert email.language == "sv"
    assert email.subject == "Mitt konto: A"


def test_mail_survives_a_broker_outage_and_is_sent_once_afterwards(
    email_template, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        email = mail.send_email(name="greeting", to="ada@example.org", context={"name": "Ada"})

    email.refresh_from_db()
    assert email.sent_at is None  # recorded, not lost, and the request did not fail
    assert django_mail.outbox == []

    _age(email)
    assert mail.undelivered_email_resend() == 1
    assert mail.undelivered_email_resend() == 0
    assert len(django_mail.outbox) == 1


def test_a_message_claimed_by_another_worker_is_not_sent_again(email_template):
    email = mail.send_email(name="greeting", to="ada@example.org", context={"name": "Ada"})
    OutboundEmail.objects.filter(pk=email.pk).update(
        claimed_until=timezone.now() + timedelta(minutes=5)
    )
    assert mail.email_deliver(email.pk) is False
    assert django_mail.outbox == []


def test_a_sent_message_is_never_sent_twice(email_template):
    email = mail.send_email(name="greeting", to="ada@example.org", context={"name": "Ada"})
    assert mail.email_deliver(email.pk) is True
    assert mail.email_deliver(email.pk) is False
    _age(email)
    assert mail.undelivered_email_resend() == 0
    assert len(django_mail.outbox) == 1


def test_an_smtp_failure_keeps_the_message_for_a_later_try(email_template, settings):
    email = mail.send_email(name="greeting", to="ada@example.org", context={"name": "Ada"})
    settings.EMAIL_BACKEND = "tests.clearinghouse.failing_backend.FailingBackend"
    assert mail.email_deliver(email.pk) is False
    email.refresh_from_db()
    assert (email.sent_at, email.attempts) == (None, 1)
    assert "SMTP is down" in email.last_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboundEmail.objects.filter(pk=email.pk).update(claimed_until=None)
    _age(email)
    assert mail.undelivered_email_resend() == 1
    assert len(django_mail.outbox) == 1


def test_plain_text_parts_are_not_html_escaped(email_template):
    email = mail.send_email(name="greeting", to="a@example.org", context={"name": "O'Brien & Co"})
    assert email.subject == "My account: O'Brien & Co"
    assert "Dear O'Brien & Co," in email.body_text
    assert "O&#x27;Brien &amp; Co" in email.body_html
