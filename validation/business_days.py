"""Business-day arithmetic for the validation deadline (R-VAL-4).

Weekends and the public holidays of `settings.VALIDATION_HOLIDAY_COUNTRY` (python-holidays)
are not business days. Days are counted on local calendar dates.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.conf import settings


@lru_cache(maxsize=64)
def _holidays(country: str, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays(country, years=year).keys())


def is_business_day(day: date, *, country: str | None = None) -> bool:
    country = country or settings.VALIDATION_HOLIDAY_COUNTRY
    return day.weekday() < 5 and day not in _holidays(country, day.year)


def business_days_between(start: date, end: date, *, country: str | None = None) -> int:
    """How many business days lie after `start`, up to and including `end` (0 if end ≤ start).

    Submitted on a Monday, it has waited 0 days that Monday and 1 on Tuesday.
    """
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_business_day(day, country=country):
            count += 1
    return count


def add_business_days(start: date, days: int, *, country: str | None = None) -> date:
    """The date `days` business days after `start` (`start` itself when days ≤ 0)."""
    day = start
    while days > 0:
        day += timedelta(days=1)
        if is_business_day(day, country=country):
            days -= 1
    return day
