"""Staff in admin: the order queue, "Grant" / "Refuse" / "Fulfilled", payments, compliance."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from orders.models import Invoice, LicenceUsageReport, Order
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(place, make_product):
    return place({make_product(price="5.00"): 5})


def decide_url(order):
    return reverse("admin:orders_order_decide", args=[order.pk])


def test_the_queue_lists_submitted_orders_with_a_decision_link(staff_client, order):
    page = staff_client.get(reverse("admin:orders_order_changelist")).content.decode()
    assert order.number in page and decide_url(order) in page


def test_staff_grant_an_order_from_admin(staff_client, order, staff_user):
    assert "Grant" in staff_client.get(decide_url(order)).content.decode()
    response = staff_client.post(decide_url(order), {"grant": "Grant"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == Order.Status.GRANTED and order.decided_by == staff_user
    assert Invoice.objects.filter(order=order).exists()


def test_refusing_in_admin_without_a_reason_changes_nothing(staff_client, order):
    response = staff_client.post(decide_url(order), {"refuse": "Refuse", "reason": ""})
    assert response.status_code == 200
    assert "Give the reason" in response.content.decode()
    order.refresh_from_db()
    assert order.status == Order.Status.SUBMITTED


def test_refusing_in_admin_with_a_reason(staff_client, order):
    staff_client.post(decide_url(order), {"refuse": "Refuse", "reason": "Budget closed."})
    order.refresh_from_db()
    assert (order.status, order.refusal_reason) == ("refused", "Budget closed.")


def test_fulfilled_after_granted(staff_client, order):
    staff_client.post(decide_url(order), {"grant": "Grant"})
    staff_client.post(decide_url(order), {"fulfil": "Fulfilled"})
    order.refresh_from_db()
    assert order.status == Order.Status.FULFILLED


def test_staff_record_a_payment(staff_client, order):
    staff_client.post(decide_url(order), {"grant": "Grant"})
    invoice = Invoice.objects.get()
    url = reverse("admin:orders_invoice_payment", args=[invoice.pk])
    assert staff_client.get(url).status_code == 200
    # 25 USD at 10.5 is 262.50 SEK, with 25 % VAT 328.13 SEK (R-MS-8).
    data = {"amount": "328.13", "currency": "SEK", "received_on": "2026-11-20", "reference": "1"}
    assert staff_client.post(url, data).status_code == 302
    invoice.refresh_from_db()
    assert invoice.is_paid and invoice.amount_paid == Decimal("328.13")


def test_overpaying_in_admin_is_refused(staff_client, order):
    staff_client.post(decide_url(order), {"grant": "Grant"})
    invoice = Invoice.objects.get()
    url = reverse("admin:orders_invoice_payment", args=[invoice.pk])
    data = {"amount": "999.00", "currency": "SEK", "received_on": "2026-11-20"}
    response = staff_client.post(url, data)
    assert "more than is due" in response.content.decode()
    assert not invoice.payments.exists()


def test_a_refused_payment_says_why_once_in_the_staff_members_language(client, staff_client, order):
    staff_client.post(decide_url(order), {"grant": "Grant"})
    invoice = Invoice.objects.get()
    url = reverse("admin:orders_invoice_payment", args=[invoice.pk])
    data = {"amount": "999.00", "currency": "SEK", "received_on": "2026-11-20"}
    staff = UserFactory(email="sv-staff@clearinghouse.test", is_staff=True, is_superuser=True)
    staff.language = "sv"
    staff.save()
    client.force_login(staff)
    content = client.post(url, data, headers={"accept-language": "sv"}).content.decode()
    assert content.count("Beloppet är större än") == 1
    assert "(328,13 kr)" in content


def test_the_compliance_view_shows_the_latest_share(staff_client, order, organisation):
    staff_client.post(decide_url(order), {"grant": "Grant"})
    LicenceUsageReport.objects.create(
        organisation=organisation,
        file_name="r.csv",
        report_date="2026-11-20",
        licensed_users=6,
        active_users=5,
    )
    page = staff_client.get(reverse("admin:orders_licencecompliance_changelist")).content
    assert b"5 / 6" in page
    reports = reverse("admin:orders_licenceusagereport_changelist")
    assert staff_client.get(reports).status_code == 200


def test_people_who_are_not_staff_cannot_decide(holder_client, order):
    response = holder_client.post(decide_url(order), {"grant": "Grant"})
    assert response.status_code == 302  # to the admin login
    order.refresh_from_db()
    assert order.status == Order.Status.SUBMITTED


def _staff_with(client, *permissions):
    """A staff member (no group, not a superuser) with exactly `permissions`, signed in."""
    member = UserFactory(email=f"staff-{len(permissions)}@clearinghouse.test", is_staff=True)
    for permission in permissions:
        app_label, codename = permission.split(".")
        member.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    client.force_login(member)
    return client


def test_staff_who_may_not_decide_see_no_decision_link(client, order):
    viewer = _staff_with(client, "orders.view_order")
    for url in (
        reverse("admin:orders_order_changelist"),
        reverse("admin:orders_order_change", args=[order.pk]),
    ):
        page = viewer.get(url).content.decode()
        assert order.number in page and decide_url(order) not in page
    decider = _staff_with(client, "orders.view_order", "orders.decide_order")
    assert (
        decide_url(order) in decider.get(reverse("admin:orders_order_changelist")).content.decode()
    )


def test_the_invoice_list_links_only_to_the_pages_the_staff_member_may_use(
    client, staff_client, order
):
    staff_client.post(decide_url(order), {"grant": "Grant"})
    invoice = Invoice.objects.get()
    pdf, payment, credit = (
        reverse(f"admin:orders_invoice_{page}", args=[invoice.pk])
        for page in ("pdf", "payment", "credit")
    )
    listing = reverse("admin:orders_invoice_changelist")
    page = _staff_with(client, "orders.view_invoice").get(listing)
    content = page.content.decode()
    assert pdf in content and payment not in content and credit not in content
    billing = _staff_with(
        client,
        "orders.view_invoice",
        "orders.add_payment",
        "orders.add_creditnote",
    )
    content = billing.get(listing).content.decode()
    assert pdf in content and payment in content and credit in content
