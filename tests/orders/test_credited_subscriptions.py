"""Crediting the invoice of a granted cloud order before it is fulfilled cancels the order and
gives its seats back (R-MS-12): they leave the subscription it started or enlarged, so the grant
and the cap are free again and the seats are not renewed and billed next year."""

import pytest
from django.utils import timezone

from orders.invoicing import credit_note_issue
from orders.models import Invoice, Subscription
from orders.selectors import catalogue_for
from orders.services import order_grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def premium(make_product):
    return make_product(price="5.50", grant=10, hard_cap=300, kind="cloud_subscription")


@pytest.fixture
def grant(place, staff_user):
    def place_and_grant(product, seats):
        return order_grant(order=place({product: seats}), decided_by=staff_user)

    return place_and_grant


def credit(order, staff_user):
    invoice = Invoice.objects.get(order=order)
    credit_note_issue(invoice=invoice, reason="Ordered by mistake.", issued_by=staff_user)


def test_crediting_the_order_that_started_a_subscription_ends_it(
    grant, premium, staff_user, organisation, programme
):
    credit(grant(premium, 15), staff_user)
    subscription = Subscription.objects.get(product=premium)
    assert (subscription.status, subscription.seats) == (Subscription.Status.ENDED, 0)
    (section,) = catalogue_for(
        organisation=organisation, day=timezone.localdate(), programme=programme
    )
    row = next(row for row in section.rows if row.product == premium)
    assert (row.grant_left, row.cap_left) == (10, 300)


def test_crediting_seats_added_later_takes_only_them_out(grant, premium, staff_user):
    grant(premium, 10)
    credit(grant(premium, 5), staff_user)
    subscription = Subscription.objects.get(product=premium)
    assert subscription.status == Subscription.Status.ACTIVE
    assert (subscription.seats, subscription.granted_seats) == (10, 10)
