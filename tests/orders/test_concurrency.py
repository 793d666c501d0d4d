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
