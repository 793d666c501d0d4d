"""Sign-in abuse (issue 10, item 6): failed sign-ins are limited by address and IP together
(nobody locks the owner out from elsewhere) under a per-address ceiling; password reset 5 an
hour per IP; TRUSTED_PROXIES for the client address; private pages are never cached."""

import uuid

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from clearinghouse.client_ip import client_ip
from orders.services import order_grant, order_place
from tests.approval_codes.factories import ApprovalCodeFactory
from tests.catalog.factories import CertificateFactory, ProductFactory, ProgrammeFactory
from tests.factories import PASSWORD
from tests.orders.rates import invoice_rates

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")
LIMITS = django_settings.ACCOUNT_RATE_LIMITS
ATTACKER, OWNER = "203.0.113.66", "198.51.100.7"


def _sign_in(client, email, password, ip):
    return client.post(LOGIN, {"login": email, "password": password}, REMOTE_ADDR=ip)


def _signed_in(response) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.wsgi_request.session


def test_failed_sign_ins_from_one_ip_do_not_lock_the_owner_out_elsewhere(client, holder):
    for _ in range(6):
        _sign_in(client, holder.email, "wrong-password", ATTACKER)
    assert _signed_in(_sign_in(client, holder.email, PASSWORD, OWNER))


def test_five_failures_from_one_ip_stop_that_ip_for_that_address(client, holder):
    for _ in range(5):
        _sign_in(client, holder.email, "wrong-password", ATTACKER)
    response = _sign_in(client, holder.email, PASSWORD, ATTACKER)
    assert not _signed_in(response)
    assert response.status_code in (200, 429)


def test_a_guess_spread_over_many_ips_hits_the_per_address_ceiling(client, holder, settings):
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "login_failed_address": "3/h/key",
    }
    for n in range(3):
        _sign_in(client, holder.email, "wrong-password", f"192.0.2.{n + 1}")
    assert not _signed_in(_sign_in(client, holder.email, PASSWORD, "192.0.2.99"))


def test_a_successful_sign_in_gives_back_its_attempt(client, holder, settings):
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "login_failed_address": "2/h/key",
    }
    for _ in range(3):
        assert _signed_in(_sign_in(client, holder.email, PASSWORD, OWNER))
        client.logout()


def test_password_reset_is_limited_to_five_an_hour_per_ip(client):
    answers = [
        client.post(
            reverse("account_reset_password"),
            {"email": f"nobody{n}@example.org"},
            REMOTE_ADDR=ATTACKER,
        ).status_code
        for n in range(6)
    ]
    assert answers[:5] == [302] * 5
    assert answers[5] == 429


# --- The client's address -----------------------------------------------------------------


def test_without_trusted_proxies_a_forwarded_header_is_ignored(rf):
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "10.0.0.2"


def test_behind_a_trusted_proxy_the_client_is_the_forwarded_address(rf, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4, 10.0.0.9")
    assert client_ip(request) == "1.2.3.4"  # the last hop the proxies did not add


def test_a_client_not_behind_the_proxy_cannot_forge_its_address(rf, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    request = rf.get("/", REMOTE_ADDR="1.2.3.4", HTTP_X_FORWARDED_FOR="9.9.9.9")
    assert client_ip(request) == "1.2.3.4"


def test_the_verify_page_limits_each_client_behind_the_proxy(client, settings, organisation):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    settings.APPROVAL_CODES_VERIFY_PAGE_RATE = "2/minute"
    code = ApprovalCodeFactory(organisation=organisation)

    def check(ip):
        return client.post(  # the code goes in the body, never the URL
            reverse("approval_codes:code-verify"),
            {"code": code.code},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=ip,
        ).status_code

    assert [check("1.1.1.1") for _ in range(3)][-1] == 429
    assert check("2.2.2.2") == 200  # another client behind the same proxy


def test_sign_in_failures_behind_the_proxy_count_per_client(client, holder, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    for _ in range(6):
        client.post(
            LOGIN,
            {"login": holder.email, "password": "wrong"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=ATTACKER,
        )
    response = client.post(
        LOGIN,
        {"login": holder.email, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR=OWNER,
    )
    assert _signed_in(response)


# --- Private pages ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url_name",
    [
        "accounts:account-overview",
        "accounts:contact-list",
        "accounts:organisation-details",
        "approval_codes:code-list",
        "orders:invoice-list",
        "account_email",
    ],
)
def test_account_pages_are_never_cached(holder_client, url_name):
    response = holder_client.get(reverse(url_name))
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_an_invoice_and_its_pdf_are_never_cached(holder_client, organisation):
    programme = ProgrammeFactory()
    CertificateFactory(organisation=organisation, donor=programme.donor)
    product = ProductFactory(programme=programme, terms__price="5.00", terms__grant=0)
    order = order_place(
        organisation=organisation,
        programme=programme,
        quantities={product.pk: 5},
        placed_by=organisation.account_holder,
        idempotency_key=uuid.uuid4().hex,
    )
    invoice_rates()  # R-MS-8: an invoice needs the day's exchange and VAT rates
    invoice = order_grant(order=order, decided_by=None).invoice
    for name in ("orders:invoice-detail", "orders:invoice-pdf"):
        response = holder_client.get(reverse(name, args=[invoice.pk]))
        assert response.status_code == 200, name
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
