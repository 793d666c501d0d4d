"""Fixtures of the catalogue and orders tests: a programme, products, a certificate, `place`."""

import pytest

from tests.catalog.factories import CertificateFactory, ProductFactory, ProgrammeFactory


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def programme(db):
    return ProgrammeFactory()


@pytest.fixture
def certificate(organisation, programme):
    """`organisation`'s confirmed Microsoft certificate (R-MS-4)."""
    return CertificateFactory(organisation=organisation, donor=programme.donor)


@pytest.fixture
def make_product(programme):
    """`make_product(price="5.00", grant=0, admin_fee="0", **product_fields)`."""

    def make(*, price="5.00", grant=0, admin_fee="0", commercial=None, **fields):
        return ProductFactory(
            programme=programme,
            terms__price=price,
            terms__grant=grant,
            terms__admin_fee=admin_fee,
            terms__commercial=commercial,
            **fields,
        )

    return make


@pytest.fixture
def place(organisation, programme, certificate):
    """`place({product: qty}, org=None, key=None, reason="")`: place an order through the
    service."""
    import uuid

    from orders.services import order_place

    def place_order(quantities, *, org=None, key=None, reason=""):
        org = org or organisation
        return order_place(
            organisation=org,
            programme=programme,
            quantities={p.pk: q for p, q in quantities.items()},
            placed_by=org.account_holder,
            idempotency_key=key or uuid.uuid4().hex,
            request_reason=reason,
        )

    return place_order
