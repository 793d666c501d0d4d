"""The pages: catalogue, order form and review, history, cancel, invoices, licence use."""

import uuid

import pytest
from django.urls import reverse

from orders.models import Order
from orders.services import order_grant
from tests.catalog.factories import CertificateFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def products(make_product):
    return (
        make_product(name="Business Premium", price="5.50", grant=10, commercial="22.00"),
        make_product(name="Office 365 E3", price="5.80"),
    )


def order_url(programme):
    return reverse("orders:order-create", args=[programme.slug])


def form_data(products, quantities, *, token=None, action="review"):
    data = {"idempotency_key": token or uuid.uuid4().hex, "action": action}
    for product, quantity in zip(products, quantities, strict=True):
        data[f"quantity_{product.pk}"] = quantity
    return data


# Catalogue


def test_the_catalogue_shows_prices_discount_grant_left_and_who_may_receive(
    holder_client, certificate, products
):
    response = holder_client.get(reverse("orders:catalogue-detail"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Business Premium" in page and "5.50 USD" in page and "22.00 USD" in page
    assert "75 %" in page  # 5.50 against 22.00
    assert "10 of 10" in page
    assert "paid staff and unpaid leaders" in page  # R-MS-7
    assert "Order from Microsoft for Nonprofits" in page


def test_the_catalogue_says_before_anything_is_filled_that_discounts_need_the_certificate(
    holder_client, products
):
    """R-MS-4: said up front, with the link; donations can still be ordered."""
    page = holder_client.get(reverse("orders:catalogue-detail")).content.decode()
    assert "Donated licences can be ordered now" in page
    assert "validation certificate first" in page
    assert reverse("catalog:certificate-list") in page
    assert "Order from Microsoft" in page


def test_the_order_form_says_so_too(holder_client, programme, products):
    page = holder_client.get(order_url(programme)).content.decode()
    assert "validation certificate first" in page
    assert page.index("validation certificate first") < page.index('name="idempotency_key"')


# Pinned: the count must not grow with rows. Session and user lookups are part of it.
CATALOGUE_QUERIES = 10
ORDER_LIST_QUERIES = 6


def test_the_catalogue_keeps_a_constant_query_count_as_products_grow(
    holder_client, certificate, make_product, django_assert_num_queries
):
    """Session, user, products, terms, allotments, usage, subscriptions, certificates,
    licence-use reports (and savepoints)."""
    make_product()
    with django_assert_num_queries(CATALOGUE_QUERIES):
        holder_client.get(reverse("orders:catalogue-detail"))
    for _ in range(30):
        make_product(grant=5)
    with django_assert_num_queries(CATALOGUE_QUERIES):
        holder_client.get(reverse("orders:catalogue-detail"))


def test_the_order_list_keeps_a_constant_query_count_as_orders_grow(
    holder_client, place, make_product, staff_user, django_assert_num_queries
):
    product = make_product(price="5.00")
    order_grant(order=place({product: 5}), decided_by=staff_user)
    with django_assert_num_queries(ORDER_LIST_QUERIES):
        holder_client.get(reverse("orders:order-list"))
    for _ in range(30):
        order_grant(order=place({product: 5, make_product(): 2}), decided_by=staff_user)
    with django_assert_num_queries(ORDER_LIST_QUERIES):
        holder_client.get(reverse("orders:order-list"))


# The order form, review and placement


def test_review_shows_the_split_and_placing_creates_the_order(
    holder_client, certificate, programme, products
):
    response = holder_client.post(order_url(programme), form_data(products, [3, 5]))
    page = response.content.decode()
    assert "Review order" in page and "Place order" in page
    assert not Order.objects.exists()

    token = uuid.uuid4().hex
    response = holder_client.post(
        order_url(programme), form_data(products, [3, 5], token=token, action="place")
    )
    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("orders:order-detail", args=[order.pk])
    assert sorted(order.lines.values_list("quantity", flat=True)) == [3, 5]


def test_a_double_submitted_order_form_places_one_order(
    holder_client, certificate, programme, products
):
    data = form_data(products, [3, 5], action="place")
    first = holder_client.post(order_url(programme), data)
    second = holder_client.post(order_url(programme), data)
    assert Order.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_four_licences_are_refused_on_review_naming_the_rule(
    holder_client, certificate, programme, products
):
    response = holder_client.post(order_url(programme), form_data(products, [0, 4]))
    page = response.content.decode()
    assert "at least 5 at a time" in page and "This order has 4 at the discounted price" in page
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("-1", "Enter 0 or more."),
        ("1.5", "Enter a whole number."),
        ("five", "Enter a whole number."),
        ("1000001", "Enter at most 100000."),
        ("0", "Enter a quantity for at least one product."),
    ],
)
def test_bad_quantities_get_a_clear_message_and_change_nothing(
    holder_client, certificate, programme, products, quantity, message
):
    data = form_data(products, [quantity, ""], action="place")
    response = holder_client.post(order_url(programme), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Order.objects.exists()


def test_an_organisation_that_is_not_eligible_is_told_to_complete_validation(
    client, ineligible_organisation, programme, products
):
    CertificateFactory(organisation=ineligible_organisation, donor=programme.donor)
    client.force_login(ineligible_organisation.account_holder)
    response = client.post(order_url(programme), form_data(products, [3, 2], action="place"))
    assert "Complete validation first" in response.content.decode()
    assert not Order.objects.exists()


# History, detail, cancel


def test_the_history_shows_status_granted_and_paid(holder_client, place, products):
    place({products[0]: 15})
    page = holder_client.get(reverse("orders:order-list")).content.decode()
    assert "Submitted" in page and "15 × Business Premium" in page
    assert "Cancel order" in page


def test_cancel_asks_first_then_cancels(holder_client, place, products):
    order = place({products[0]: 5})
    url = reverse("orders:order-cancel", args=[order.pk])
    assert "Are you sure?" in holder_client.get(url).content.decode()
    order.refresh_from_db()
    assert order.status == Order.Status.SUBMITTED
    holder_client.post(url)
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED


def test_another_organisations_order_and_invoice_are_404(
    client, place, products, other_organisation, staff_user
):
    order = place({products[0]: 5})
    order_grant(order=order, decided_by=staff_user)
    client.force_login(other_organisation.account_holder)
    assert client.get(reverse("orders:order-detail", args=[order.pk])).status_code == 404
    assert client.post(reverse("orders:order-cancel", args=[order.pk])).status_code == 404
    invoice_url = reverse("orders:invoice-detail", args=[order.invoice.pk])
    assert client.get(invoice_url).status_code == 404
    order.refresh_from_db()
    assert order.status == Order.Status.GRANTED


@pytest.mark.parametrize(
    "url_name", ["orders:order-list", "orders:catalogue-detail", "orders:invoice-list"]
)
def test_a_member_without_the_right_gets_403(client, organisation, url_name):
    member = UserFactory(organisation=organisation)
    client.force_login(member)
    response = client.get(reverse(url_name))
    assert response.status_code == 403


def test_a_member_without_place_orders_cannot_open_the_order_form(client, organisation, programme):
    client.force_login(UserFactory(organisation=organisation))
    assert client.get(order_url(programme)).status_code == 403


def test_the_orders_tab_is_shown_in_my_account(holder_client):
    page = holder_client.get(reverse("accounts:account-overview")).content.decode()
    assert reverse("orders:order-list") in page


# Invoices


def test_the_invoice_page_shows_addressee_lines_and_totals(
    holder_client, place, products, staff_user, holder
):
    order = place({products[0]: 15})
    order_grant(order=order, decided_by=staff_user)
    response = holder_client.get(reverse("orders:invoice-detail", args=[order.invoice.pk]))
    page = response.content.decode()
    assert "Invoice 000001" in page
    assert holder.email in page
    assert "27.50" in page  # 5 beyond the grant at 5.50
    assert "invoice.css" in page


def test_the_invoice_list_has_an_empty_state(holder_client):
    assert "No invoices yet" in holder_client.get(reverse("orders:invoice-list")).content.decode()


# Licence use


def test_uploading_a_usage_report_shows_the_share_and_the_85_percent_line(holder_client):
    rows = ["User Principal Name,Report Refresh Date,Teams Last Activity Date,Has Teams License"]
    rows += [f"u{n}@example.org,2026-11-20,2026-11-01,True" for n in range(5)]
    rows += ["u5@example.org,2026-11-20,,True"]
    data = ("\n".join(rows) + "\n").encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("orders:licence-usage-detail")
    response = holder_client.post(url, {"report": SimpleUploadedFile("r.csv", data)})
    assert response.status_code == 302
    page = holder_client.get(url).content.decode()
    assert "5 of 6 licensed users active: 83 %" in page
    assert "Below 85 %" in page


def test_a_usage_report_that_is_not_a_csv_report_gets_a_message(holder_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("orders:licence-usage-detail")
    response = holder_client.post(url, {"report": SimpleUploadedFile("r.csv", b"a,b\n1,2\n")})
    assert response.status_code == 200
    assert "not the Microsoft 365 active-users report" in response.content.decode()


def test_the_invoice_downloads_as_a_pdf(holder_client, place, products, staff_user):
    order = place({products[0]: 15})
    order_grant(order=order, decided_by=staff_user)
    response = holder_client.get(reverse("orders:invoice-pdf", args=[order.invoice.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="invoice-000001.pdf"' in response["Content-Disposition"]


def test_another_organisations_invoice_pdf_is_404(
    client, place, products, other_organisation, staff_user
):
    order = place({products[0]: 5})
    order_grant(order=order, decided_by=staff_user)
    client.force_login(other_organisation.account_holder)
    assert client.get(reverse("orders:invoice-pdf", args=[order.invoice.pk])).status_code == 404


def test_a_member_who_may_view_but_not_order_sees_usage_but_cannot_upload(client, organisation):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.permissions import Right
    from tests.accounts.factories import make_sub_account

    viewer = make_sub_account(organisation, Right.VIEW_PRODUCTS_ORDERS).user
    client.force_login(viewer)
    url = reverse("orders:licence-usage-detail")
    page = client.get(url)
    assert page.status_code == 200 and "Upload report" not in page.content.decode()
    response = client.post(url, {"report": SimpleUploadedFile("r.csv", b"x")})
    assert response.status_code == 403


def test_a_product_withdrawn_before_placing_stops_the_order_instead_of_being_dropped(
    holder_client, certificate, programme, products, make_product
):
    withdrawn = make_product(name="Old product")
    data = form_data((*products, withdrawn), [3, 5, 5], action="place")
    withdrawn.is_active = False
    withdrawn.save()
    response = holder_client.post(order_url(programme), data)
    assert "no longer available" in response.content.decode()
    assert not Order.objects.exists()


def count_queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_order_form_keeps_a_constant_query_count_as_products_grow(
    holder_client, certificate, programme, make_product
):
    make_product()
    before = count_queries(holder_client, order_url(programme))
    for _ in range(30):
        make_product(grant=5, kind="cloud_subscription")
    assert count_queries(holder_client, order_url(programme)) == before


def test_the_order_page_keeps_a_constant_query_count_as_lines_grow(
    holder_client, place, make_product
):
    small = place({make_product(): 5})
    large = place({make_product(): 5 for _ in range(30)})
    url = "orders:order-detail"
    assert count_queries(holder_client, reverse(url, args=[large.pk])) == count_queries(
        holder_client, reverse(url, args=[small.pk])
    )


def test_staff_see_lapsed_subscriptions(staff_client, organisation, make_product):
    from datetime import date

    from orders.models import Subscription

    product = make_product(kind="cloud_subscription", name="Lapsed Premium")
    Subscription.objects.create(
        organisation=organisation,
        product=product,
        sku=product.sku,
        name=product.name,
        seats=3,
        granted_seats=3,
        term_starts_on=date(2025, 1, 1),
        renews_on=date(2026, 1, 1),
        status=Subscription.Status.LAPSED,
        ended_reason="Not eligible on the renewal date.",
    )
    page = staff_client.get(
        reverse("admin:orders_subscription_changelist") + "?status__exact=lapsed"
    ).content.decode()
    assert "Lapsed Premium" in page and organisation.legal_name in page


def test_the_catalogue_says_until_when_the_credit_runs(
    holder_client, place, make_product, staff_user
):
    azure = make_product(
        name="Azure credit", price=None, grant=1, hard_cap=1, kind="credit_per_year"
    )
    assert "1 available" in holder_client.get(reverse("orders:catalogue-detail")).content.decode()
    order_grant(order=place({azure: 1}), decided_by=staff_user)
    from orders.models import Subscription

    ends = Subscription.objects.get(product=azure).renews_on.isoformat()
    page = holder_client.get(reverse("orders:catalogue-detail")).content.decode()
    assert f"in use until {ends}; ask for the next one from then" in page
