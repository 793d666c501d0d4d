import io
from datetime import date
from decimal import Decimal

import pytest

from catalog import demo
from catalog.models import Product

pytestmark = pytest.mark.django_db


def test_the_demo_catalogue_loads_the_table_of_domain_md_and_is_idempotent():
    demo.load(stdout=io.StringIO())
    demo.load(stdout=io.StringIO())
    assert Product.objects.count() == len(demo.CATALOGUE) == 12
    premium = Product.objects.get(sku="MS-M365-BP")
    before = premium.terms_on(date(2025, 6, 30))
    after = premium.terms_on(date(2025, 7, 1))
    assert (before.grant_per_cycle, before.nonprofit_price) == (10, Decimal("5.50"))
    assert after.grant_per_cycle == 0  # R-MS-13: retired at renewal on 1 July 2025
    assert Product.objects.get(sku="MS-AZURE-CREDIT").exempt_from_minimum
