"""Exchange and VAT rates as staff enter them (R-MS-8, R-INV-1), for tests that issue invoices."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from orders.invoice_models import ChargeKind, ExchangeRate, VatCategory, VatRate

SEK_PER_USD = Decimal("10.5")
NOK_PER_USD = Decimal("11.2")


def invoice_rates(*, day: date | None = None):
    """Today's USD rates for SEK, NOK and EUR; Swedish VAT 25 % on everything; Norwegian
    customers outside the EU, at zero with the reason. Idempotent; returns the SEK rate."""
    day = day or timezone.localdate()
    sek, _created = ExchangeRate.objects.get_or_create(
        currency="SEK", valid_on=day, defaults={"rate": SEK_PER_USD}
    )
    ExchangeRate.objects.get_or_create(currency="NOK", valid_on=day, defaults={"rate": NOK_PER_USD})
    ExchangeRate.objects.get_or_create(
        currency="EUR", valid_on=day, defaults={"rate": Decimal("0.92")}
    )
    since = date(2000, 1, 1)
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
    return sek
