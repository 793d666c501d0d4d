"""Larger grants on request (R-MS-14): Office 365 E1 through an enterprise agreement. The
organisation asks for seats with a reason; staff grant all, part (up to what was asked for,
within the product's cap) or none, on the donor's behalf."""

import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from catalog.models import Product
from orders.errors import OrderNotAvailable
from orders.models import Order, Subscription
from orders.services import order_grant, order_place, order_refuse

pytestmark = pytest.mark.django_db


@pytest.fixture
def e1(make_product):
    return make_product(
        name="Office 365 E1",
        price="2.50",
        grant=0,
        hard_cap=2000,
        on_request=True,
        kind=Product.Kind.CLOUD_SUBSCRIPTION,
    )


@pytest.fixture
def ask(organisation, programme, certificate):
    def ask_for(product, seats, reason):
        return order_place(
            organisation=organisation,
            programme=programme,
            quantities={product.pk: seats},
            placed_by=organisation.account_holder,
            idempotency_key=uuid.uuid4().hex,
            request_reason=reason,
        )

    return ask_for


def test_asking_without_a_reason_is_refused_and_saves_nothing(ask, e1):
    with pytest.raises(OrderNotAvailable, match="Say why you ask for Office 365 E1"):
        ask(e1, 1500, "  ")
    assert not Order.objects.exists()


def test_asking_beyond_the_cap_is_refused(ask, e1):
    with pytest.raises(OrderNotAvailable, match="capped at 2000 seats held at once"):
        ask(e1, 2001, "Enterprise agreement for all volunteers.")


def test_a_request_is_placed_with_its_reason_as_asked_granted_seats(ask, e1):
    order = ask(e1, 1500, "Enterprise agreement for 1,500 volunteers.")
    line = order.lines.get()
    assert (line.requested_quantity, line.granted_quantity, line.paid_quantity) == (1500, 1500, 0)
    assert order.request_reason == "Enterprise agreement for 1,500 volunteers."
    assert order.total == Decimal("0.00")


def test_staff_grant_part_of_a_request(ask, e1, staff_user):
    order = ask(e1, 1500, "Enterprise agreement.")
    line = order.lines.get()
    order_grant(order=order, decided_by=staff_user, granted_quantities={line.pk: 800})
    line.refresh_from_db()
    assert (line.quantity, line.granted_quantity) == (800, 800)
    subscription = Subscription.objects.get(product=e1)
    assert (subscription.seats, subscription.granted_seats) == (800, 800)


@pytest.mark.parametrize("seats", [0, 1501])
def test_staff_cannot_grant_more_than_was_asked_for_or_none_by_granting(ask, e1, staff_user, seats):
    order = ask(e1, 1500, "Enterprise agreement.")
    line = order.lines.get()
    with pytest.raises(OrderNotAvailable, match="grant from 1 to the 1500 seats asked for"):
        order_grant(order=order, decided_by=staff_user, granted_quantities={line.pk: seats})
    order.refresh_from_db()
    assert order.status == Order.Status.SUBMITTED
    assert not Subscription.objects.exists()


def test_granting_none_is_a_refusal(ask, e1, staff_user):
    order = ask(e1, 1500, "Enterprise agreement.")
    order_refuse(order=order, decided_by=staff_user, reason="Not through this agreement.")
    order.refresh_from_db()
    assert order.status == Order.Status.REFUSED


def test_staff_grant_part_in_admin(staff_client, ask, e1):
    order = ask(e1, 1500, "Enterprise agreement for our volunteers.")
    line = order.lines.get()
    url = reverse("admin:orders_order_decide", args=[order.pk])
    page = staff_client.get(url).content.decode()
    assert "Enterprise agreement for our volunteers." in page
    assert f'name="granted_{line.pk}"' in page
    response = staff_client.post(url, {"grant": "Grant", f"granted_{line.pk}": "600"})
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.granted_quantity == 600


def test_the_order_form_asks_for_the_reason(holder_client, programme, e1):
    page = holder_client.get(reverse("orders:order-create", args=[programme.slug])).content
    assert "Why you ask for this grant" in page.decode()
    assert "on request, up to 2,000" in page.decode()
