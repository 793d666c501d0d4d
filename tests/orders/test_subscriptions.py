"""Cloud subscriptions (R-MS-14): started and enlarged by granted orders, renewed by a daily job
at the prices and grants in force that day (R-MS-13) while the organisation is eligible
(R-VAL-10), changed only from the next renewal (R-MS-12), reminded 30, 15 and 5 days before."""

import io
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Organisation
from catalog.models import Product
from clearinghouse.models import OutboundEmail
from orders.errors import SeatChangeNotAllowed
from orders.models import Invoice, Order, Subscription
from orders.services import order_grant, order_place
from orders.services_subscriptions import (
    subscription_renew,
    subscription_seats_schedule,
    subscriptions_renew,
)
from tests.catalog.factories import add_terms
from validation.status import organisation_move

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")
START = date(2026, 3, 10)


def at(day: date):
    return time_machine.travel(
        datetime(day.year, day.month, day.day, 12, tzinfo=STOCKHOLM), tick=False
    )


@pytest.fixture
def premium(make_product, certificate):
    certificate.issued_on = START - timedelta(days=30)
    certificate.save()
    return make_product(
        name="Business Premium",
        price="5.50",
        grant=10,
        hard_cap=300,
        kind=Product.Kind.CLOUD_SUBSCRIPTION,
    )


@pytest.fixture
def order_seats(organisation, programme, staff_user):
    """`order_seats(product, n)`: place and grant an order of `n` seats today."""

    def place_and_grant(product, seats):
        order = order_place(
            organisation=organisation,
            programme=programme,
            quantities={product.pk: seats},
            placed_by=organisation.account_holder,
            idempotency_key=uuid.uuid4().hex,
        )
        return order_grant(order=order, decided_by=staff_user)

    return place_and_grant


@pytest.fixture
def subscription(premium, order_seats):
    with at(START):
        order_seats(premium, 10)
    return Subscription.objects.get(product=premium)


def test_a_granted_order_of_ten_business_premium_seats_starts_a_subscription(subscription):
    assert (subscription.seats, subscription.granted_seats, subscription.paid_seats) == (10, 10, 0)
    assert subscription.unit_price == Decimal("5.50")
    assert (subscription.term_starts_on, subscription.renews_on) == (START, date(2027, 3, 10))
    assert subscription.status == Subscription.Status.ACTIVE


def test_seats_added_mid_term_end_with_the_term_and_are_charged_pro_rata(
    subscription, premium, order_seats
):
    """Five paid seats added on 20 July: 8 months begun until 10 March (pro rata by month)."""
    with at(date(2026, 7, 20)):
        order = order_seats(premium, 5)
    line = order.lines.get()
    assert (line.granted_quantity, line.paid_quantity, line.months) == (0, 5, 8)
    assert order.invoice.net_total_usd == Decimal("220.00")  # 5 × 5.50 × 8
    subscription.refresh_from_db()
    assert (subscription.seats, subscription.granted_seats) == (15, 10)
    assert subscription.renews_on == date(2027, 3, 10)


def test_a_new_subscription_is_charged_for_its_12_months(premium, order_seats):
    with at(START):
        order = order_seats(premium, 15)
    assert order.invoice.net_total_usd == Decimal("330.00")  # 5 paid × 5.50 × 12


def test_a_renewal_takes_the_new_price_and_invoices_the_next_12_months(
    subscription, premium, order_seats
):
    with at(date(2026, 7, 20)):
        order_seats(premium, 5)
    add_terms(premium, effective_from=date(2027, 1, 1), price="6.00", grant=10)
    with at(date(2027, 3, 9)):
        assert subscriptions_renew()["renewed"] == 0  # not yet due
    with at(date(2027, 3, 10)):
        assert subscriptions_renew()["renewed"] == 1
    subscription.refresh_from_db()
    assert subscription.unit_price == Decimal("6.00")
    assert (subscription.term_starts_on, subscription.renews_on) == (
        date(2027, 3, 10),
        date(2028, 3, 10),
    )
    renewal = Order.objects.get(origin=Order.Origin.RENEWAL)
    assert renewal.status == Order.Status.GRANTED
    assert renewal.invoice.net_total_usd == Decimal("360.00")  # 5 paid × 6.00 × 12
    assert renewal.lines.get().months == 12


def test_a_renewal_takes_the_grant_in_force_that_day(subscription, premium):
    add_terms(premium, effective_from=date(2027, 1, 1), price="5.50", grant=5)
    with at(date(2027, 3, 10)):
        subscriptions_renew()
    subscription.refresh_from_db()
    assert (subscription.seats, subscription.granted_seats) == (10, 5)
    assert Invoice.objects.get(order__origin="renewal").net_total_usd == Decimal("330.00")


def test_an_ineligible_organisation_s_subscription_lapses_and_is_not_invoiced(
    subscription, organisation
):
    organisation_move(
        organisation=organisation, to_status=Organisation.Status.SUSPENDED, actor=None
    )
    with at(date(2027, 3, 10)):
        assert subscriptions_renew()["lapsed"] == 1
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.LAPSED
    assert "not eligible" in subscription.ended_reason
    assert not Order.objects.filter(origin=Order.Origin.RENEWAL).exists()


def test_lowering_the_seats_takes_effect_at_renewal_not_mid_term(subscription, holder):
    subscription_seats_schedule(subscription=subscription, seats=6, changed_by=holder)
    subscription.refresh_from_db()
    assert (subscription.seats, subscription.seats_at_renewal) == (10, 6)
    with at(date(2027, 3, 10)):
        subscriptions_renew()
    subscription.refresh_from_db()
    assert (subscription.seats, subscription.granted_seats, subscription.seats_at_renewal) == (
        6,
        6,
        None,
    )


def test_ending_takes_effect_at_renewal(subscription, holder):
    subscription_seats_schedule(subscription=subscription, seats=0, changed_by=holder)
    with at(date(2027, 3, 10)):
        assert subscriptions_renew()["ended"] == 1
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.ENDED
    assert not Order.objects.filter(origin=Order.Origin.RENEWAL).exists()


@pytest.mark.parametrize(
    ("seats", "message"),
    [(-1, "0 or more"), (None, "0 or more"), (11, "To add seats, order them")],
)
def test_bad_seat_changes_get_a_clear_message_and_change_nothing(
    subscription, holder, seats, message
):
    with pytest.raises(SeatChangeNotAllowed, match=message):
        subscription_seats_schedule(subscription=subscription, seats=seats, changed_by=holder)
    subscription.refresh_from_db()
    assert (subscription.seats, subscription.seats_at_renewal) == (10, None)


def test_a_renewal_run_twice_renews_once(subscription):
    with at(date(2027, 3, 10)):
        first = subscription_renew(subscription_id=subscription.pk, today=date(2027, 3, 10))
        second = subscription_renew(subscription_id=subscription.pk, today=date(2027, 3, 10))
        assert subscriptions_renew()["renewed"] == 0
    assert (first, second) == ("renewed", None)
    assert Order.objects.filter(origin=Order.Origin.RENEWAL).count() == 1


def renewal_reminders():
    return OutboundEmail.objects.filter(template="order-subscription-renewing")


def test_reminders_come_30_15_and_5_days_before_renewal_each_once(subscription, holder):
    for offset in range(45, 0, -1):
        day = subscription.renews_on - timedelta(days=offset)
        subscriptions_renew(today=day)
        subscriptions_renew(today=day)  # a second run the same day sends nothing more
    sent = list(renewal_reminders().order_by("pk").values_list("to", "subject"))
    assert [subject for _to, subject in sent] == [
        "Business Premium renews in 30 days",
        "Business Premium renews in 15 days",
        "Business Premium renews in 5 days",
    ]
    assert {to for to, _subject in sent} == {holder.email}


def test_a_credit_ends_after_12_months_with_an_invitation_30_days_before(
    make_product, order_seats, certificate
):
    azure = make_product(
        name="Azure credit", price=None, grant=1, hard_cap=1, kind=Product.Kind.CREDIT_PER_YEAR
    )
    with at(START):
        order_seats(azure, 1)
    credit = Subscription.objects.get(product=azure)
    subscriptions_renew(today=date(2027, 2, 8))
    mail = OutboundEmail.objects.get(template="order-credit-ending")
    assert "ask for the next one" in mail.body_text
    subscriptions_renew(today=date(2027, 3, 10))
    credit.refresh_from_db()
    assert credit.status == Subscription.Status.ENDED
    assert not Order.objects.filter(origin=Order.Origin.RENEWAL).exists()


def test_the_management_command_and_the_task_run_the_same_job(subscription):
    from orders.tasks import subscriptions_renew as task

    with at(date(2027, 3, 10)):
        out = io.StringIO()
        call_command("subscriptions_renew", stdout=out)
        assert "Renewed 1" in out.getvalue()
        assert task.delay().get()["renewed"] == 0


# The page


def test_the_subscriptions_page_shows_seats_price_and_renewal_date(holder_client, subscription):
    page = holder_client.get(reverse("orders:subscription-list")).content.decode()
    assert "Business Premium" in page and "5.50 USD" in page
    assert "Renews 2027-03-10" in page


def test_the_subscriptions_page_has_an_empty_state(holder_client):
    page = holder_client.get(reverse("orders:subscription-list")).content.decode()
    assert "You have no subscriptions yet" in page


def test_changing_seats_on_the_page_schedules_it_for_the_renewal(holder_client, subscription):
    url = reverse("orders:subscription-seats-change", args=[subscription.pk])
    response = holder_client.post(url, {"seats": "7"})
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert (subscription.seats, subscription.seats_at_renewal) == (10, 7)
    assert "7 seats from then" in holder_client.get(response.url).content.decode()


def test_a_bad_seat_number_on_the_page_gets_a_message(holder_client, subscription):
    url = reverse("orders:subscription-seats-change", args=[subscription.pk])
    page = holder_client.post(url, {"seats": "-3"}).content.decode()
    assert "Enter 0 or more." in page
    subscription.refresh_from_db()
    assert subscription.seats_at_renewal is None


def test_another_organisations_subscription_is_404(client, subscription, other_organisation):
    client.force_login(other_organisation.account_holder)
    url = reverse("orders:subscription-seats-change", args=[subscription.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"seats": "0"}).status_code == 404
    subscription.refresh_from_db()
    assert subscription.seats_at_renewal is None


SUBSCRIPTION_LIST_QUERIES = 5


def test_the_subscriptions_page_keeps_a_constant_query_count(
    holder_client, subscription, organisation, make_product, django_assert_num_queries
):
    with django_assert_num_queries(SUBSCRIPTION_LIST_QUERIES):
        holder_client.get(reverse("orders:subscription-list"))
    for n in range(20):
        product = make_product(kind=Product.Kind.CLOUD_SUBSCRIPTION)
        Subscription.objects.create(
            organisation=organisation,
            product=product,
            sku=product.sku,
            name=product.name,
            seats=n + 1,
            granted_seats=0,
            term_starts_on=START,
            renews_on=date(2027, 3, 10),
        )
    with django_assert_num_queries(SUBSCRIPTION_LIST_QUERIES):
        holder_client.get(reverse("orders:subscription-list"))
