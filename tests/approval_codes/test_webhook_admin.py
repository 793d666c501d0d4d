"""Staff register donors' endpoints and read the delivery log in Django admin; failed
deliveries can be redelivered."""

import pytest
from django.urls import reverse
from standardwebhooks.webhooks import Webhook

from approval_codes import webhooks
from approval_codes.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from tests.approval_codes.jobs_helpers import make_endpoint

pytestmark = pytest.mark.django_db

DELIVERIES_URL = reverse("admin:approval_codes_webhookdelivery_changelist")


@pytest.fixture(autouse=True)
def _no_staff_mfa(settings):
    settings.REQUIRE_STAFF_MFA = False


@pytest.fixture
def delivery(db):
    endpoint = make_endpoint()
    (delivery,) = webhooks.webhook_event_record(
        webhooks.CODE_REVOKED, {"code": "abcdefghjk@Org"}, donor_ids={endpoint.donor_id}
    )
    WebhookAttempt.objects.create(delivery=delivery, response_status=503, error="HTTP 503")
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=WebhookDelivery.Status.FAILED, attempts=1, last_response_status=503
    )
    return delivery


def test_staff_register_an_endpoint_and_a_standard_webhooks_secret_is_made(staff_client):
    donor = make_endpoint().donor
    response = staff_client.post(
        reverse("admin:approval_codes_webhookendpoint_add"),
        {"donor": donor.pk, "url": "https://hooks.example.org/ch", "is_active": "on"},
    )
    assert response.status_code == 302
    endpoint = WebhookEndpoint.objects.get(url="https://hooks.example.org/ch")
    assert endpoint.secret.startswith("whsec_")
    Webhook(endpoint.secret)  # the standardwebhooks package takes it


def test_an_endpoint_on_plain_http_or_a_private_address_is_refused(staff_client, settings):
    settings.APPROVAL_CODES_WEBHOOK_ALLOW_LOCAL = False
    donor = make_endpoint().donor
    for url in ("http://hooks.example.org/ch", "https://192.168.1.20/ch"):
        response = staff_client.post(
            reverse("admin:approval_codes_webhookendpoint_add"),
            {"donor": donor.pk, "url": url, "is_active": "on"},
        )
        assert response.status_code == 200
        assert "errorlist" in response.content.decode()
        assert not WebhookEndpoint.objects.filter(url=url).exists()


def test_staff_rotate_a_secret_once_and_a_second_rotation_is_refused(staff_client):
    endpoint = make_endpoint()
    url = reverse("admin:approval_codes_webhookendpoint_changelist")
    data = {"action": "rotate_secret", "_selected_action": [endpoint.pk]}

    staff_client.post(url, data, follow=True)
    rotated = WebhookEndpoint.objects.get(pk=endpoint.pk)
    again = staff_client.post(url, data, follow=True)

    assert rotated.previous_secret == "whsec_test" and rotated.secret != "whsec_test"
    assert "Rotate again after" in again.content.decode()
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).secret == rotated.secret


def test_the_delivery_log_lists_deliveries_and_shows_attempts(staff_client, delivery):
    listing = staff_client.get(DELIVERIES_URL)
    assert listing.status_code == 200
    assert "code.revoked" in listing.content.decode()

    page = staff_client.get(
        reverse("admin:approval_codes_webhookdelivery_change", args=[delivery.pk])
    )
    assert page.status_code == 200
    assert "HTTP 503" in page.content.decode()
    assert 'name="_save"' not in page.content.decode()  # read-only


def test_redeliver_queues_a_failed_delivery(staff_client, delivery, monkeypatch):
    posted = []
    monkeypatch.setattr(webhooks, "post", lambda d: posted.append(d.pk) or (200, ""))

    response = staff_client.post(
        DELIVERIES_URL,
        {"action": "redeliver", "_selected_action": [delivery.pk]},
        follow=True,
    )

    assert "1 delivery queued for one more attempt." in response.content.decode()
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.PENDING
    webhooks.due_webhooks_deliver()
    assert posted == [delivery.pk]
    assert WebhookDelivery.objects.get(pk=delivery.pk).status == WebhookDelivery.Status.DELIVERED
