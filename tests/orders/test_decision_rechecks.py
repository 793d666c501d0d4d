"""Staff grant an order on the donor's behalf only if the rules that let it be placed still
hold at the decision (R-MS-5, R-MS-6, R-MS-11): grants held since for low licence use are not
given, and a cap lowered since is not passed. Nothing changes when the grant is stopped."""

import pytest
from django.urls import reverse

from orders.errors import OrderNotAvailable
from orders.models import Order, Subscription
from orders.services import order_grant
from tests.orders.test_licence_usage import add_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def premium(make_product):
    return make_product(price="5.50", grant=10, hard_cap=300, kind="cloud_subscription")


def assert_not_granted(order):
    order.refresh_from_db()
    assert order.status == Order.Status.SUBMITTED
    assert not Subscription.objects.exists()


def test_free_seats_are_not_granted_once_low_licence_use_holds_cloud_grants(
    place, premium, organisation, staff_user
):
    order = place({premium: 5})
    assert order.lines.get().granted_quantity == 5
    add_report(organisation, active=10)
    add_report(organisation, active=11)
    with pytest.raises(OrderNotAvailable, match="cloud grants are on hold"):
        order_grant(order=order, decided_by=staff_user)
    assert_not_granted(order)


def test_seats_beyond_a_cap_lowered_since_the_order_are_not_granted(place, premium, staff_user):
    order = place({premium: 40})
    premium.hard_cap = 30
    premium.save()
    with pytest.raises(OrderNotAvailable, match="capped at 30 seats held at once"):
        order_grant(order=order, decided_by=staff_user)
    assert_not_granted(order)


def test_admin_says_why_the_grant_is_stopped(staff_client, place, premium, organisation):
    order = place({premium: 5})
    add_report(organisation, active=10)
    add_report(organisation, active=11)
    url = reverse("admin:orders_order_decide", args=[order.pk])
    response = staff_client.post(url, {"grant": "Grant"})
    assert response.status_code == 200
    assert "cloud grants are on hold" in response.content.decode()
    assert_not_granted(order)
