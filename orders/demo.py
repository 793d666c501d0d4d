"""For "Demo Nonprofit": a confirmed Microsoft certificate, one granted order with its invoice
and one submitted order; and the exchange and VAT rates invoices need (demo figures: staff
enter the real ones). Idempotent: nothing is added once the organisation has orders."""

from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import Organisation, User
from catalog.models import DonorCertificate, Product, Programme
from orders.invoice_models import ChargeKind, ExchangeRate, VatCategory, VatRate
from orders.models import Order
from orders.services import order_grant, order_place

DEMO_RATES = {"SEK": Decimal("10.50"), "NOK": Decimal("11.20"), "EUR": Decimal("0.92")}


def rates_ensure(*, today: date) -> None:
    """Today's demo exchange rates, Swedish VAT at 25 % and Norwegian customers as exports."""
    for currency, rate in DEMO_RATES.items():
        ExchangeRate.objects.get_or_create(
            currency=currency, valid_on=today, defaults={"rate": rate}
        )
    since = date(2020, 1, 1)
    for charge in ChargeKind.values:
        VatRate.objects.get_or_create(
            country="SE",
            charge=charge,
            valid_from=since,
            defaults={"category": VatCategory.STANDARD, "rate": Decimal("25")},
        )
        VatRate.objects.get_or_create(
            country="NO",
            charge=charge,
            valid_from=since,
            defaults={
                "category": VatCategory.EXPORT,
                "rate": Decimal("0"),
                "exemption_reason_code": "VATEX-EU-G",
                "exemption_reason": "Export outside the EU",
            },
        )


def load(*, stdout):
    rates_ensure(today=timezone.localdate())
    organisation = Organisation.objects.filter(legal_name="Demo Nonprofit").first()
    programme = Programme.objects.filter(slug="microsoft").first()
    if organisation is None or programme is None:
        return []
    if not DonorCertificate.objects.filter(organisation=organisation).exists():
        DonorCertificate.objects.create(
            organisation=organisation,
            donor=programme.donor,
            file=ContentFile(b"%PDF-1.4\n% demo certificate\n", name="microsoft-certificate.pdf"),
            issued_on=timezone.localdate().replace(day=1),
            status=DonorCertificate.Status.CONFIRMED,
            decided_at=timezone.now(),
        )
    if Order.objects.filter(organisation=organisation).exists():
        return []
    holder = organisation.account_holder
    sku = dict(Product.objects.values_list("sku", "pk"))
    granted = order_place(
        organisation=organisation,
        programme=programme,
        quantities={sku["MS-WIN-PRO"]: 10, sku["MS-PA-APP"]: 12},
        placed_by=holder,
        idempotency_key="demo-order-granted",
    )
    staff = User.objects.filter(is_staff=True).order_by("pk").first()
    order_grant(order=granted, decided_by=staff)
    order_place(
        organisation=organisation,
        programme=programme,
        quantities={sku["MS-O365-E3"]: 3, sku["MS-PA-PREM"]: 2},
        placed_by=holder,
        idempotency_key="demo-order-submitted",
    )
    stdout.write("Orders: Demo Nonprofit has a granted order (with invoice) and a submitted one.")
    return []
