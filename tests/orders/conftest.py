import pytest

from tests.catalog.fixtures import (  # noqa: F401
    _private_media,
    certificate,
    make_product,
    place,
    programme,
)


@pytest.fixture(autouse=True)
def _invoice_rates(request):
    """Granting issues an invoice, which needs today's exchange rate and VAT rates."""
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(
        request.fixturenames
    )
    if uses_db:
        from tests.orders.rates import invoice_rates

        request.getfixturevalue("db")
        invoice_rates()
