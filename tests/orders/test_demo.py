import io
from datetime import date

import pytest

from accounts import demo as accounts_demo
from catalog import demo as catalog_demo
from orders import demo as orders_demo
from orders.models import Invoice, LicenceUsageReport, Order, OrderLine, Subscription

pytestmark = pytest.mark.django_db


def test_demo_nonprofit_gets_a_granted_and_a_submitted_order_once():
    for _ in range(2):
        for module in (accounts_demo, catalog_demo, orders_demo):
            module.load(stdout=io.StringIO())
    statuses = sorted(Order.objects.values_list("status", flat=True))
    assert statuses == ["granted", "submitted"]
    assert Invoice.objects.get().addressee_email == "billing@demo-nonprofit.test"  # R-CON-5
    # R-MS-2: the demo's orders obey the minimum on discounted licences.
    for order in Order.objects.all():
        paid = sum(line.paid_quantity for line in order.lines.all())
        assert paid == 0 or paid >= 5
    assert not OrderLine.objects.filter(order__status="granted", paid_quantity__gt=0).exists()
    subscription = Subscription.objects.get()
    assert (subscription.sku, subscription.seats, subscription.granted_seats) == (
        "MS-M365-BP",
        10,
        10,
    )
    today = date.today()
    months_ahead = (subscription.renews_on.year - today.year) * 12
    assert months_ahead + subscription.renews_on.month - today.month == 1  # renews next month
    assert not LicenceUsageReport.objects.get().is_compliant
