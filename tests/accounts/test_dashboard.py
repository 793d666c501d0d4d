# ruff: noqa: F811  (pytest fixtures imported from tests.orders.conftest, used as parameters)
""" "My account" is a dashboard of what needs doing, each item with its link, each appearing when
its condition holds (issue 13, item 4)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation
from accounts.permissions import Right
from orders.models import LicenceUsageReport, Order
from orders.services import order_grant
from tests.accounts.factories import make_sub_account
from tests.approval_codes.factories import ApprovalCodeFactory
from tests.orders.conftest import (  # noqa: F401
    _invoice_rates,
    certificate,
    make_product,
    place,
    programme,
)

pytestmark = pytest.mark.django_db
URL = reverse("accounts:account-overview")


def _page(client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def _code(organisation, *, days_left, name):
    now = timezone.now()
    return ApprovalCodeFactory(
        organisation=organisation,
        first_name=name,
        last_name="Berg",
        created_at=now - timedelta(days=60 - days_left),
        expires_at=now + timedelta(days=days_left),
    )


def test_an_empty_dashboard_says_what_to_do_first(holder_client):
    page = _page(holder_client)
    assert "Nothing needs doing right now" in page
    assert reverse("approval_codes:code-create") in page
    assert reverse("orders:catalogue-detail") in page


def test_a_code_expiring_within_7_days_appears_with_its_link(holder_client, organisation):
    soon = _code(organisation, days_left=3, name="Elsa")
    _code(organisation, days_left=20, name="Greta")
    page = _page(holder_client)
    assert "The code for Elsa Berg expires on" in page
    assert reverse("approval_codes:code-detail", args=[soon.pk]) in page
    assert "Greta" not in page


def test_codes_are_not_shown_to_a_sub_account_without_the_right(client, organisation):
    _code(organisation, days_left=3, name="Elsa")
    contact = make_sub_account(organisation, Right.VIEW_PRODUCTS_ORDERS)
    client.force_login(contact.user)
    assert "Elsa Berg" not in _page(client)


def test_orders_waiting_and_on_hold_appear(holder_client, make_product, place):
    product = make_product(price="5.00")
    place({product: 5})
    held = place({product: 6})
    Order.objects.filter(pk=held.pk).update(
        status=Order.Status.ON_HOLD, hold_reason="Your organisation is suspended."
    )
    page = _page(holder_client)
    assert "1 order is waiting for the donor" in page
    assert f"Order {held.pk} is on hold: Your organisation is suspended." in page
    assert reverse("orders:order-detail", args=[held.pk]) in page


def test_an_unpaid_invoice_appears_and_says_when_it_is_overdue(
    holder_client, make_product, place, staff_user
):
    order = place({make_product(price="5.00"): 5})
    order_grant(order=order, decided_by=staff_user)
    invoice = order.invoice
    page = _page(holder_client)
    assert f"Invoice {invoice.display_number} is due on" in page
    assert reverse("orders:invoice-detail", args=[invoice.pk]) in page
    type(invoice).objects.filter(pk=invoice.pk).update(due_on=timezone.localdate() - timedelta(1))
    assert f"Invoice {invoice.display_number} is overdue since" in _page(holder_client)


def test_a_subscription_renewing_within_30_days_and_the_missing_usage_report_appear(
    holder_client, organisation, make_product, place, staff_user
):
    cloud = make_product(price="5.00", grant=10, kind="cloud_subscription", name="Teams Plan")
    order = place({cloud: 3})
    order_grant(order=order, decided_by=staff_user)
    page = _page(holder_client)
    assert "Send us a recent licence-use report" in page
    assert reverse("orders:licence-usage-detail") in page
    assert "Your subscription of Teams Plan renews" not in page
    organisation.subscriptions.update(renews_on=timezone.localdate() + timedelta(days=10))
    assert "Your subscription of Teams Plan renews on" in _page(holder_client)


def test_a_usage_report_below_85_percent_appears(
    holder_client, organisation, make_product, place, staff_user
):
    cloud = make_product(price="5.00", grant=10, kind="cloud_subscription")
    order_grant(order=place({cloud: 3}), decided_by=staff_user)
    LicenceUsageReport.objects.create(
        organisation=organisation,
        file_name="report.csv",
        report_date=timezone.localdate(),
        licensed_users=10,
        active_users=6,
    )
    page = _page(holder_client)
    assert "Only 60 % of your donated cloud licences are in use" in page
    assert "Send us a recent licence-use report" not in page


def test_the_attestation_deadline_appears_within_30_days(holder_client, organisation):
    from validation.models import AttestationDeadline

    deadline, _ = AttestationDeadline.objects.update_or_create(
        organisation=organisation, defaults={"due_on": timezone.localdate() + timedelta(days=60)}
    )
    assert "Attest by" not in _page(holder_client)
    deadline.due_on = timezone.localdate() + timedelta(days=20)
    deadline.save()
    page = _page(holder_client)
    assert "Attest by" in page and reverse("validation:application-detail") in page


def test_staffs_question_appears_when_they_ask_for_more_information(client, staff_user):
    from tests.factories import UserFactory
    from validation import services
    from validation.models import Statement

    applicant = UserFactory(email="applicant@reading.example.org")
    application = services.application_submit(
        user=applicant,
        statements=list(Statement.values),
        legal_name="Malmö Reading Club",
        type=Organisation.Type.NONPROFIT,
        country="SE",
        registration_number="802002-4280",
        address="Lilla torg 1\n211 34 Malmö",
        website="https://reading.example.org",
        mission="Reading for everyone.",
    )
    client.force_login(applicant)
    assert "Your application is with our staff" in _page(client)
    services.application_request_information(
        application=application, actor=staff_user, message="Please send your statutes."
    )
    page = _page(client)
    assert "Please send your statutes." in page
    assert "Answer our staff" in page
