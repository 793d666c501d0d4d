"""A Redis outage never fails a request (issue 10, item 3).

The fault test starts its OWN redis-server on a free port (never the shared one), uses it as
broker and cache, stops it while people sign in, reset passwords, check codes, order and issue
codes and while the donor API is called, then starts it again: no answer is a 5xx, no request
tries the dead broker more than once, and after the outbox re-send every mail is delivered
exactly once.
"""

import shutil
import socket
import subprocess
import time
import uuid
from datetime import timedelta

import pytest
import redis
import time_machine
from celery.app.task import Task
from django.core import mail
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from accounts.models import MessageCategory, email_setting_field
from approval_codes import ratelimit
from approval_codes.cache_client import redis_client
from clearinghouse import celery as clearinghouse_celery
from clearinghouse.cache import FailOpenRedisCache
from clearinghouse.mail import message_id, undelivered_email_resend
from clearinghouse.models import OutboundEmail
from tests.accounts.factories import ContactFactory
from tests.approval_codes.api_support import donor_with_key, issue, post
from tests.catalog.fixtures import _private_media, certificate, make_product, programme  # noqa: F401
from tests.factories import PASSWORD

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server on PATH"),
]


NO_DISK = ("--save", "", "--appendonly", "no")


class PrivateRedis:
    """A redis-server of this test's own, on a free port, without persistence."""

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [*("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"), *NO_DISK],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("the private redis-server did not start")

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def url(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"


def _use_for_cache_and_broker(settings, server: PrivateRedis):
    settings.CACHES = {
        "default": {
            "BACKEND": "clearinghouse.cache.FailOpenRedisCache",
            "LOCATION": server.url(0),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    ratelimit._redis_count_script.cache_clear()
    redis_client.cache_clear()
    app = clearinghouse_celery.app
    app.conf.broker_url = server.url(1)
    app.conf.task_always_eager = False
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def private_redis(settings, monkeypatch):
    server = PrivateRedis()
    server.start()
    app = clearinghouse_celery.app
    previous_broker = app.conf.broker_url
    # Celery reads CELERY_BROKER_URL from the environment before its own configuration (CI sets
    # it for the PostgreSQL + Redis run), so the private broker goes there too.
    monkeypatch.setenv("CELERY_BROKER_URL", server.url(1))
    _use_for_cache_and_broker(settings, server)
    yield server
    server.stop()
    app.conf.broker_url = previous_broker
    app._pool = None
    app.amqp._producer_pool = None
    ratelimit._redis_count_script.cache_clear()
    redis_client.cache_clear()


@pytest.fixture
def publishes(monkeypatch):
    """How many times a publish to the broker was tried."""
    tried = []
    original = Task.apply_async

    def counting(self, *args, **kwargs):
        tried.append(self.name)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Task, "apply_async", counting)
    return tried


def _order_form(programme, product):  # noqa: F811
    return reverse("orders:order-create", args=[programme.slug]), {
        "idempotency_key": uuid.uuid4().hex,
        "action": "place",
        f"quantity_{product.pk}": 5,
    }


def test_with_redis_stopped_no_request_fails_and_every_mail_arrives_once(
    client,
    django_capture_on_commit_callbacks,
    private_redis,
    publishes,
    organisation,
    holder,
    make_product,  # noqa: F811
    certificate,  # noqa: F811
    programme,  # noqa: F811
):
    assert isinstance(caches["default"], FailOpenRedisCache)
    product = make_product(price="5.00")
    for _ in range(6):  # six more order-mail recipients
        ContactFactory(
            organisation=organisation, **{email_setting_field(MessageCategory.ORDERS): True}
        )
    code = issue(organisation)
    _donor, _api_key, key = donor_with_key()
    answers = []

    def request(method, path, data=None, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            response = getattr(client, method)(path, data or {}, **extra)
        answers.append((method.upper(), path, response.status_code))
        return response

    # Redis up: an order's mails are queued on the broker.
    client.force_login(holder)
    request("post", *_order_form(programme, product))
    client.logout()
    assert publishes, "with Redis up the mails are queued on the broker"

    private_redis.stop()

    # Signing in: a wrong password, then the right one (allauth's rate limit is in the cache).
    request("post", reverse("account_login"), {"login": holder.email, "password": "wrong-one"})
    signed_in = request(
        "post", reverse("account_login"), {"login": holder.email, "password": PASSWORD}
    )
    assert signed_in.status_code == 302
    # Ordering with seven recipients: one publish tried, the rest skipped at once.
    clearinghouse_celery._broker_down_until[0] = 0.0
    before = len(publishes)
    started = time.monotonic()
    request("post", *_order_form(programme, product))
    assert len(publishes) - before == 1
    assert time.monotonic() - started < 10
    request(
        "post",
        reverse("approval_codes:code-create"),
        {
            "first_name": "Astrid",
            "last_name": "Lindgren",
            "email": "astrid@example.org",
            "authorised": "on",
        },
    )
    client.logout()
    # The public page, password reset, and the donor API.
    request("post", reverse("approval_codes:code-verify"), {"code": code.code})
    request("post", reverse("account_reset_password"), {"email": holder.email})
    request("post", reverse("account_reset_password"), {"email": "nobody@example.org"})
    for path, body in (
        ("codes/verify", {"code": code.code}),
        ("codes/redeem", {"code": code.code, "reference": "order-1", "offer": "Microsoft 365"}),
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = post(client, path, body, key)
        answers.append(("POST", path, response.status_code))

    failed = [answer for answer in answers if answer[2] >= 500]
    assert not failed, failed

    private_redis.start()
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        undelivered_email_resend()

    emails = list(OutboundEmail.objects.all())
    assert len(emails) >= 7 + 7 + 2  # two orders to seven recipients, the code, the resets
    assert all(email.sent_at for email in emails)
    sent_ids = [message["Message-ID"] for message in (m.message() for m in mail.outbox)]
    assert sorted(sent_ids) == sorted(message_id(email) for email in emails)  # once each
