import io

import pytest

from accounts import demo as accounts_demo
from catalog import demo as catalog_demo
from orders import demo as orders_demo
from orders.models import Invoice, Order

pytestmark = pytest.mark.django_db


def test_demo_nonprofit_gets_a_granted_and_a_submitted_order_once():
    for _ in range(2):
        for module in (accounts_demo, catalog_demo, orders_demo):
            module.load(stdout=io.StringIO())
    statuses = sorted(Order.objects.values_list("status", flat=True))
    assert statuses == ["granted", "submitted"]
    assert Invoice.objects.get().addressee_email == "billing@demo-nonprofit.test"  # R-CON-5
