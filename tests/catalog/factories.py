"""Factories for the catalogue: a donor, its programme, products with dated terms."""

from datetime import date
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from factory.django import DjangoModelFactory

from approval_codes.models import Donor
from catalog.models import DonorCertificate, Product, ProductTerms, Programme


class DonorFactory(DjangoModelFactory):
    class Meta:
        model = Donor
        django_get_or_create = ["slug"]

    name = "Microsoft"
    slug = "microsoft"
    website = "https://www.microsoft.com/nonprofits"


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ["slug"]

    donor = factory.SubFactory(DonorFactory)
    name = "Microsoft for Nonprofits"
    slug = "microsoft"
    minimum_licences_per_order = 5
    requires_certificate = True
    allotment_cycle_years = 2


class ProductFactory(DjangoModelFactory):
    """`ProductFactory(price="5.50", grant=10)` makes the product and its terms from 2022-09-01."""

    class Meta:
        model = Product
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    sku = factory.Sequence(lambda n: f"SKU-{n:04d}")
    name = factory.Sequence(lambda n: f"Product {n}")
    kind = Product.Kind.COURSE  # no grant rule of its own: counted per cycle, billed once

    @factory.post_generation
    def terms(product, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        ProductTerms.objects.create(
            product=product,
            effective_from=kwargs.get("effective_from", date(2022, 9, 1)),
            nonprofit_price=None
            if kwargs.get("price", "5.00") is None
            else Decimal(kwargs.get("price", "5.00")),
            commercial_price=kwargs.get("commercial"),
            grant_per_cycle=kwargs.get("grant", 0),
            admin_fee=Decimal(kwargs.get("admin_fee", "0")),
        )


def add_terms(product, *, effective_from, price="5.00", grant=0, admin_fee="0", commercial=None):
    return ProductTerms.objects.create(
        product=product,
        effective_from=effective_from,
        nonprofit_price=None if price is None else Decimal(price),
        commercial_price=None if commercial is None else Decimal(commercial),
        grant_per_cycle=grant,
        admin_fee=Decimal(admin_fee),
    )


class CertificateFactory(DjangoModelFactory):
    class Meta:
        model = DonorCertificate

    donor = factory.SubFactory(DonorFactory)
    file = factory.LazyFunction(lambda: ContentFile(b"%PDF-1.4 test", name="certificate.pdf"))
    issued_on = factory.LazyFunction(date.today)
    status = DonorCertificate.Status.CONFIRMED
