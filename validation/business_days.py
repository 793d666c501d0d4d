"""Business-day arithmetic for the validation deadline (R-VAL-4).

Weekends and the public holidays of `settings.VALIDATION_HOLIDAY_COUNTRY` (python-holidays)
are not business days. Days are counted on local calendar dates; the counting itself is the
library's (`is_working_day`, `get_working_days_count`, `get_nth_working_day`).
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.conf import settings


@lru_cache(maxsize=16)
def _calendar(country: str) -> holidays.HolidayBase:
    """The country's holidays, filled in year by year as dates are asked about."""
    return holidays.country_holidays(country)


def _calendar_for(country: str | None) -> holidays.HolidayBase:
    return _calendar(country or settings.VALIDATION_HOLIDAY_COUNTRY)


def is_business_day(day: date, *, country: str | None = None) -> bool:
    return _calendar_for(country).is_working_day(day)


def business_days_between(start: date, end: date, *, country: str | None = None) -> int:
    """How many business days lie after `start`, up to and including `end` (0 if end ≤ start).

    Submitted on a Monday, it has waited 0 days that Monday and 1 on Tuesday.
    """
    if end <= start:
        return 0
    return _calendar_for(country).get_working_days_count(start + timedelta(days=1), end)


def add_business_days(start: date, days: int, *, country: str | None = None) -> date:
    """The date `days` business days after `start` (`start` itself when days ≤ 0)."""
    if days <= 0:
        return start
    return _calendar_for(country).get_nth_working_day(start, days)
