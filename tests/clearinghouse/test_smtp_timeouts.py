"""SMTP (issue 10, item 4): a mail server that stalls holds a worker for EMAIL_TIMEOUT at most,
and every copy of one outbox row carries the same Message-ID (delivery is at-least-once)."""

import time
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from clearinghouse.mail import CLAIM_FOR, email_deliver, message_id, record_email
from clearinghouse.models import OutboundEmail
from tests.clearinghouse.smtp_capture import CaptureSMTP

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(settings):
    def use(server: CaptureSMTP, timeout: float = 1):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = timeout
        return server

    return use


def _email(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        return record_email(name="test", to="a@example.org", language="en", subject="Hi", text="x")


def test_the_timeout_defaults_to_ten_seconds():
    from clearinghouse import settings as project_settings

    assert project_settings.EMAIL_TIMEOUT == 10


def test_a_server_that_never_answers_holds_the_worker_only_for_the_timeout(
    smtp, django_capture_on_commit_callbacks
):
    email = _email(django_capture_on_commit_callbacks)
    with CaptureSMTP(greeting_delay=30) as server:
        smtp(server, timeout=1)
        started = time.monotonic()
        assert email_deliver(email.pk) is False
        assert time.monotonic() - started < 5
    email.refresh_from_db()
    assert email.sent_at is None and email.last_error  # left for the re-send


def test_a_repeat_after_a_lost_answer_carries_the_same_message_id(
    smtp, django_capture_on_commit_callbacks
):
    """The server takes the message but its answer comes too late (as when the worker dies):
    the row is sent again after its claim runs out, with the same Message-ID."""
    email = _email(django_capture_on_commit_callbacks)
    with CaptureSMTP(answer_delay=3) as server:
        smtp(server, timeout=1)
        assert email_deliver(email.pk) is False
        server.answer_delay = 0
        with time_machine.travel(timezone.now() + CLAIM_FOR + timedelta(hours=2)):
            assert email_deliver(email.pk) is True
        ids = [message["Message-ID"] for message in server.messages]
    assert ids == [message_id(email)] * 2
    assert OutboundEmail.objects.get(pk=email.pk).sent_at is not None


def test_every_row_has_its_own_stable_message_id(django_capture_on_commit_callbacks):
    first, second = (_email(django_capture_on_commit_callbacks) for _ in range(2))
    assert message_id(first) == message_id(OutboundEmail.objects.get(pk=first.pk))
    assert message_id(first) != message_id(second)
    assert message_id(first).startswith("<") and "@clearinghouse.test>" in message_id(first)
