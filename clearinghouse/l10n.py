"""Dates and amounts as people read them, in the active language (issue 13): Swedish
"1 december 2026" and "1 234,50 kr", Norwegian "1. desember 2026" and "1 234,50 kr".

English dates are ISO ("2026-12-01"), as the invoice's (`clearinghouse/formats/en`): the
portal's English readers are spread over many countries and the ISO form is the one none of
them misreads. Amounts carry the
currency's ISO code, except the reader's own krona/krone, written "kr" the way Swedes and
Norwegians write it. The donor API and the bookkeeping export keep ISO 8601 and plain numbers.
"""

from datetime import date, datetime
from decimal import Decimal

from django.utils import formats, timezone, translation

# The currency a language writes as "kr" rather than by its code.
_HOME_CURRENCY = {"sv": "SEK", "nb": "NOK"}


def _language() -> str:
    return (translation.get_language() or "en").split("-")[0]


def day(value: date | datetime | None) -> str:
    """A date (or the date of a moment, in the active time zone) in the language's words."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return formats.date_format(value, "DATE_FORMAT")


def count(value: int | None) -> str:
    """A whole number with the language's grouping: "2,000" in English, "2 000" in Swedish."""
    if value is None or value == "":
        return ""
    return formats.number_format(int(value), 0, use_l10n=True, force_grouping=True)


def currency_label(currency: str) -> str:
    """How the active language writes `currency` after an amount: "kr" for its own krona."""
    return "kr" if _HOME_CURRENCY.get(_language()) == currency else currency


def amount(value: Decimal | int | float | None) -> str:
    """Two decimals with the language's grouping and decimal mark (1 234,50 / 1,234.50)."""
    if value is None or value == "":
        return ""
    return formats.number_format(Decimal(value), 2, use_l10n=True, force_grouping=True)


def money(value, currency: str) -> str:
    """An amount with its currency, as the language writes it: "1 234,50 kr", "1,234.50 SEK"."""
    if value is None or value == "":
        return ""
    return f"{amount(value)} {currency_label(currency)}"


def moment(value: datetime | None) -> str:
    """A date and time in the active time zone, in the language's words (ISO-like in English)."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return formats.date_format(local, "DATETIME_FORMAT")
