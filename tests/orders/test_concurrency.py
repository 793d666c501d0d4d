"""Placement locks what it counts: parallel orders never exceed a grant or a cap (PostgreSQL).

Each thread has its own database connection and transaction, as two web processes would.
"""

import uuid

import pytest

from orders.errors import OrderNotAvailable
from orders.models import Order, OrderLine
from orders.services import order_place
from tests.concurrency import run_in_parallel

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 20


def place_in_parallel(place):
    return run_in_parallel(place, THREADS, expected=(OrderNotAvailable,))


def test_twenty_parallel_orders_never_grant_more_than_the_grant_nor_pass_the_cap(
    organisation, programme, certificate, make_product
):
    """Grant 10, cap 40, 20 orders of 5 at once: 8 are placed, 10 licences granted in all."""
    product = make_product(price="5.50", grant=10, hard_cap=40)

    def place(n):
        return order_place(
            organisation=organisation,
            programme=programme,
            quantities={product.pk: 5},
            placed_by=organisation.account_holder,
            idempotency_key=uuid.uuid4().hex,
        )

    placed, refused = place_in_parallel(place)
    lines = OrderLine.objects.filter(product=product)
    assert len(placed) == 8 and len(refused) == 12
    assert sum(line.granted_quantity for line in lines) == 10
    assert sum(line.quantity for line in lines) == 40
    assert all("capped at 40" in str(error) for error in refused)


def test_twenty_parallel_first_orders_share_one_allotment_and_its_grant(
    make_organisation, programme, make_product
):
    """The allotment is created at the first request; racing first requests share it."""
    from tests.catalog.factories import CertificateFactory

    organisation = make_organisation()
    CertificateFactory(organisation=organisation, donor=programme.donor)
    product = make_product(price=None, grant=50, kind="perpetual_licence")

    def place(n):
        return order_place(
            organisation=organisation,
            programme=programme,
            quantities={product.pk: 5},
            placed_by=organisation.account_holder,
            idempotency_key=uuid.uuid4().hex,
        )

    placed, refused = place_in_parallel(place)
    assert (len(placed), len(refused)) == (10, 10)
    assert sum(OrderLine.objects.values_list("granted_quantity", flat=True)) == 50
    assert all("only given as a grant: 0 left" in str(error) for error in refused)


def test_a_form_submitted_twenty_times_at_once_places_one_order(
    organisation, programme, certificate, make_product
):
    product = make_product(price="5.00")
    key = uuid.uuid4().hex

    def place(n):
        return order_place(
            organisation=organisation,
            programme=programme,
            quantities={product.pk: 5},
            placed_by=organisation.account_holder,
            idempotency_key=key,
        ).pk

    placed, refused = place_in_parallel(place)
    assert Order.objects.count() == 1
    assert len(placed) == THREADS and not refused
    assert set(placed) == {Order.objects.get().pk}


def test_twenty_parallel_orders_of_cloud_seats_never_pass_the_seats_held_at_once(
    organisation, programme, certificate, make_product, staff_user
):
    """Business Basic: 300 seats held at once. 250 are held in a subscription; 20 orders of 5
    at once: 10 are placed, and seats held plus asked for stay at 300 (R-MS-11, R-MS-14)."""
    from catalog.models import Product
    from orders.models import Subscription
    from orders.services import order_grant

    basic = make_product(price=None, grant=300, hard_cap=300, kind=Product.Kind.CLOUD_SUBSCRIPTION)
    first = order_place(
        organisation=organisation,
        programme=programme,
        quantities={basic.pk: 250},
        placed_by=organisation.account_holder,
        idempotency_key=uuid.uuid4().hex,
    )
    order_grant(order=first, decided_by=staff_user)

    def place(n):
        return order_place(
            organisation=organisation,
            programme=programme,
            quantities={basic.pk: 5},
            placed_by=organisation.account_holder,
            idempotency_key=uuid.uuid4().hex,
        )

    placed, refused = place_in_parallel(place)
    assert (len(placed), len(refused)) == (10, 10)
    held = Subscription.objects.get(product=basic).seats
    waiting = sum(
        OrderLine.objects.filter(product=basic, order__status="submitted").values_list(
            "quantity", flat=True
        )
    )
    assert (held, waiting) == (250, 50)
    assert all("capped at 300 seats held at once" in str(error) for error in refused)


def test_granting_and_placing_at_once_never_over_grant_seats(
    organisation, programme, certificate, make_product, staff_user
):
    """Grants move seats from waiting orders into the subscription while others place: the
    allotment lock keeps the count whole (10 granted seats of Business Premium in all)."""
    from catalog.models import Product
    from orders.models import Subscription
    from orders.services import order_grant

    premium = make_product(price="5.50", grant=10, kind=Product.Kind.CLOUD_SUBSCRIPTION)
    waiting = [
        order_place(
            organisation=organisation,
            programme=programme,
            quantities={premium.pk: 2},
            placed_by=organisation.account_holder,
            idempotency_key=uuid.uuid4().hex,
        )
        for _ in range(2)
    ]

    def act(n):
        if n < len(waiting):
            return order_grant(order=waiting[n], decided_by=staff_user)
        return order_place(
            organisation=organisation,
            programme=programme,
            quantities={premium.pk: 1},
            placed_by=organisation.account_holder,
            idempotency_key=uuid.uuid4().hex,
        )

    run_in_parallel(act, THREADS, expected=(OrderNotAvailable,))
    granted_held = Subscription.objects.get(product=premium).granted_seats
    granted_waiting = sum(
        OrderLine.objects.filter(product=premium, order__status="submitted").values_list(
            "granted_quantity", flat=True
        )
    )
    assert granted_held == 4
    assert granted_held + granted_waiting == 10


def test_two_renewal_runs_at_once_renew_each_subscription_once(
    organisation, programme, certificate, make_product, staff_user
):
    import time_machine

    from catalog.models import Product
    from orders.models import Order, Subscription
    from orders.services import order_grant
    from orders.services_subscriptions import subscriptions_renew

    products = [
        make_product(price="5.50", grant=10, kind=Product.Kind.CLOUD_SUBSCRIPTION) for _ in range(5)
    ]
    order = order_place(
        organisation=organisation,
        programme=programme,
        quantities={p.pk: 10 for p in products},
        placed_by=organisation.account_holder,
        idempotency_key=uuid.uuid4().hex,
    )
    order_grant(order=order, decided_by=staff_user)
    renews_on = Subscription.objects.first().renews_on

    with time_machine.travel(renews_on, tick=False):
        results, _errors = run_in_parallel(lambda n: subscriptions_renew(today=renews_on), 2)
    assert sum(result["renewed"] for result in results) == 5
    assert Order.objects.filter(origin=Order.Origin.RENEWAL).count() == 5
