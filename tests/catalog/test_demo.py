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
    today, next_year = date.today(), demo.announced_on()
    assert (premium.terms_on(today).grant_per_cycle, premium.terms_on(today).nonprofit_price) == (
        10,
        Decimal("5.50"),
    )  # R-MS-13: the seeds' grants are in force today
    assert premium.terms_on(next_year).nonprofit_price == Decimal("6.00")  # announced
    assert premium.terms.count() == 2
    kinds = dict(Product.objects.values_list("sku", "kind"))
    assert kinds["MS-WIN-PRO"] == Product.Kind.PERPETUAL_LICENCE
    assert kinds["MS-AZURE-CREDIT"] == Product.Kind.CREDIT_PER_YEAR
    assert Product.objects.get(sku="MS-O365-E1").on_request
    assert Product.objects.get(sku="MS-M365-BB").hard_cap == 300
    assert Product.objects.get(sku="MS-AZURE-CREDIT").exempt_from_minimum
