from datetime import date

import pytest

from tests.catalog.fixtures import (  # noqa: F401
    _private_media,
    certificate,
    make_product,
    place,
    programme,
)


@pytest.fixture(autouse=True)
def _invoice_rates(request, settings):
    """Granting issues an invoice, which needs an exchange rate and VAT rates. Many tests travel
    in time, so these rates date from 2000 and never go stale here; the tests of invoices
    themselves use `todays_rates` (rates of today, stale after 7 days, as in production)."""
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(
        request.fixturenames
    )
    if uses_db:
        from tests.orders.rates import invoice_rates

        request.getfixturevalue("db")
        settings.INVOICE_EXCHANGE_RATE_MAX_AGE_DAYS = 100 * 365
        invoice_rates(day=date(2000, 1, 1))


@pytest.fixture
def todays_rates(_invoice_rates, settings):
    """Today's exchange rates only, stale after 7 days (R-MS-8)."""
    from orders.models import ExchangeRate
    from tests.orders.rates import invoice_rates

    ExchangeRate.objects.all().delete()
    settings.INVOICE_EXCHANGE_RATE_MAX_AGE_DAYS = 7
    return invoice_rates()
