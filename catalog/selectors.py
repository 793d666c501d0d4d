"""Reads of the catalogue."""

from datetime import date

from django.db.models import Prefetch, QuerySet

from catalog.models import DonorCertificate, Product, Programme


def products_with_terms(*, programme: Programme | None = None) -> QuerySet[Product]:
    """Orderable products with their dated terms prefetched (two queries, however many rows)."""
    products = Product.objects.orderable().select_related("programme", "programme__donor")
    if programme is not None:
        products = products.filter(programme=programme)
    return products.prefetch_related(Prefetch("terms"))


def valid_certificate(*, organisation, donor_id: int, day: date) -> DonorCertificate | None:
    """The organisation's confirmed, unexpired certificate of `donor_id` (R-MS-4), if any."""
    return (
        DonorCertificate.objects.valid_on(day)
        .filter(organisation=organisation, donor_id=donor_id)
        .order_by("-issued_on")
        .first()
    )


def certificates_of(*, organisation) -> QuerySet[DonorCertificate]:
    return DonorCertificate.objects.filter(organisation=organisation).select_related("donor")
