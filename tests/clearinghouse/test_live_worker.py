"""A real Celery worker on the real Redis broker delivers what the outbox recorded."""

import pytest
from django.core import mail as django_mail
from django.db import transaction

from clearinghouse import mail
from clearinghouse.celery import app as celery_app
from clearinghouse.models import OutboundEmail
from tests.concurrency import wait_for

pytestmark = [pytest.mark.broker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _wait_until_sent(email_id):
    return wait_for(
        lambda: OutboundEmail.objects.filter(pk=email_id, sent_at__isnull=False).exists()
    )


def test_a_live_worker_delivers_mail_queued_on_commit(email_template, live_worker):
    with transaction.atomic():
        email = mail.send_email(name="greeting", to="ada@example.org", context={"name": "Ada"})

    assert _wait_until_sent(email.pk)
    assert [m.to for m in django_mail.outbox] == [["ada@example.org"]]
    assert OutboundEmail.objects.get(pk=email.pk).attempts == 1


def test_the_periodic_resend_runs_on_the_worker(email_template, live_worker):
    email = OutboundEmail.objects.create(
        template="greeting", to="bo@example.org", language="en", subject="Hi", body_text="Hi"
    )
    OutboundEmail.objects.filter(pk=email.pk).update(created_at=email.created_at.replace(year=2020))
    celery_app.send_task("clearinghouse.tasks.undelivered_email_resend")

    assert _wait_until_sent(email.pk)
    assert len(django_mail.outbox) == 1
