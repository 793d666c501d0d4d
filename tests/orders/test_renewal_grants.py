"""What a renewal grants (R-MS-13, R-MS-14): the grant in force on the renewal day, asked of the
same grant policy as an order: a grant decided on request keeps what staff granted, and a
grant-only product whose grant is gone ends instead of staying due for ever."""

from datetime import date
from decimal import Decimal

import pytest

from catalog.models import Product
from orders.models import Invoice, Order, Subscription
from orders.services import order_grant
from orders.services_subscriptions import subscriptions_renew
from tests.catalog.factories import add_terms
from tests.orders.test_licence_usage import add_report
from tests.orders.test_on_request import e1  # noqa: F401
from tests.orders.test_subscriptions import START, at

pytestmark = pytest.mark.django_db
RENEWAL = date(2027, 3, 10)


@pytest.fixture
def grant_order(place, certificate, staff_user):
    """`grant_order(product, seats, reason="")`: place and grant an order on START."""
    certificate.issued_on = date(2026, 1, 1)
    certificate.save()

    def place_and_grant(product, seats, reason=""):
        with at(START):
            order_grant(order=place({product: seats}, reason=reason), decided_by=staff_user)
        return Subscription.objects.get(product=product)

    return place_and_grant


def test_seats_granted_on_request_stay_granted_at_renewal(e1, grant_order):  # noqa: F811
    """Office 365 E1 through an enterprise agreement: 800 free seats are not billed at 2.50."""
    subscription = grant_order(e1, 800, reason="Enterprise agreement.")
    with at(RENEWAL):
        assert subscriptions_renew()["renewed"] == 1
    subscription.refresh_from_db()
    assert (subscription.seats, subscription.granted_seats) == (800, 800)
    assert Invoice.objects.get(order__origin="renewal").net_total_usd == Decimal("0.00")


def test_a_grant_only_subscription_ends_at_renewal_when_its_grant_is_retired(
    make_product, grant_order
):
    basic = make_product(
        name="Business Basic", price=None, grant=300, kind=Product.Kind.CLOUD_SUBSCRIPTION
    )
    subscription = grant_order(basic, 40)
    add_terms(basic, effective_from=date(2027, 1, 1), price=None, grant=0)
    with at(RENEWAL):
        assert subscriptions_renew()["ended"] == 1
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.ENDED
    assert "grant" in subscription.ended_reason
    assert not Order.objects.filter(origin=Order.Origin.RENEWAL).exists()


def test_a_renewal_leaves_the_grant_that_an_order_waiting_for_a_decision_holds(
    make_product, grant_order, place, organisation, staff_user
):
    """Ten seats bought while low licence use held grants; once lifted, ten more are asked for
    free. The renewal does not also give the first ten free: 10 seats held at once in all."""
    premium = make_product(price="5.50", grant=10, hard_cap=300, kind="cloud_subscription")
    with at(START):
        add_report(organisation, active=10)
        add_report(organisation, active=11)
    subscription = grant_order(premium, 10)
    assert subscription.granted_seats == 0
    with at(date(2027, 3, 1)):
        add_report(organisation, active=20)
        waiting = place({premium: 10})
    assert waiting.lines.get().granted_quantity == 10
    with at(RENEWAL):
        subscriptions_renew()
        order_grant(order=waiting, decided_by=staff_user)
    subscription.refresh_from_db()
    assert (subscription.seats, subscription.granted_seats) == (20, 10)
