"""Reads of the dated rates staff keep: exchange rates (R-MS-8) and VAT rates (R-INV-1)."""

from datetime import date, timedelta

from django.conf import settings
from django_countries import countries

from orders.invoice_models import ExchangeRate, VatRate

USD = "USD"
# The euro area on 1 January 2026.
EURO_AREA = frozenset(
    {"AT", "BE", "BG", "CY", "DE", "EE", "ES", "FI", "FR", "GR", "HR", "IE"}
    | {"IT", "LT", "LU", "LV", "MT", "NL", "PT", "SI", "SK"}
)
# The currencies (all with two decimals) that invoices can be in; any other country pays in USD.
_NATIONAL_CURRENCIES = {
    "SE": "SEK",
    "NO": "NOK",
    "DK": "DKK",
    "GB": "GBP",
    "CH": "CHF",
    "PL": "PLN",
    "CZ": "CZK",
    "US": "USD",
    "CA": "CAD",
    "AU": "AUD",
    "NZ": "NZD",
}


def local_currency(country: str) -> str:
    """The currency a customer in `country` is charged in (R-MS-8: SEK in Sweden)."""
    country = str(country).upper()
    if country in EURO_AREA:
        return "EUR"
    return _NATIONAL_CURRENCIES.get(country, USD)


def exchange_rate_on(*, currency: str, day: date) -> ExchangeRate | None:
    """The latest rate staff entered for `currency` on or before `day`."""
    return (
        ExchangeRate.objects.filter(currency=currency, valid_on__lte=day)
        .order_by("-valid_on")
        .first()
    )


def exchange_rate_is_stale(rate: ExchangeRate, *, day: date) -> bool:
    return day - rate.valid_on > timedelta(days=settings.INVOICE_EXCHANGE_RATE_MAX_AGE_DAYS)


def vat_rate_on(*, country: str, charge: str, day: date) -> VatRate | None:
    """The VAT rate in force for customers in `country` for `charge` on `day`."""
    return (
        VatRate.objects.filter(country=country, charge=charge, valid_from__lte=day)
        .order_by("-valid_from")
        .first()
    )


def country_name(country: str) -> str:
    return str(dict(countries).get(str(country).upper(), country))
