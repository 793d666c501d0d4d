"""Dates and amounts in the language's own format (issue 13, item 3): sv "1 december 2026" and
"1 234,50 kr", nb "1. desember 2026" and "1 234,50 kr", English ISO dates and "1,234.50 SEK"."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from clearinghouse.l10n import amount, day, moment, money

NBSP = "\xa0"


@pytest.mark.parametrize(
    ("language", "expected_day", "expected_money"),
    [
        ("sv", "1 december 2026", f"1{NBSP}234,50 kr"),
        ("nb", "1. desember 2026", f"1{NBSP}234,50 SEK"),
        ("en", "2026-12-01", "1,234.50 SEK"),
    ],
)
def test_dates_and_amounts_read_as_each_language_writes_them(
    language, expected_day, expected_money
):
    with translation.override(language):
        assert day(date(2026, 12, 1)) == expected_day
        assert money(Decimal("1234.5"), "SEK") == expected_money


def test_the_readers_own_krone_is_kr_in_norwegian_and_other_currencies_keep_their_code():
    with translation.override("nb"):
        assert money(Decimal("99"), "NOK") == "99,00 kr"
        assert money(Decimal("99"), "USD") == "99,00 USD"
    with translation.override("sv"):
        assert money(Decimal("99"), "EUR") == "99,00 EUR"


def test_a_moment_is_shown_in_the_active_time_zone_and_language():
    noon_utc = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    with translation.override("sv"), timezone.override("Europe/Stockholm"):
        assert moment(noon_utc) == "1 december 2026 13:00"
        assert day(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == "1 januari 2027"
    with translation.override("en"), timezone.override("UTC"):
        assert moment(noon_utc) == "2026-12-01 12:00"


def test_the_template_filters_format_like_the_functions():
    template = Template(
        "{% load portal_format %}{{ when|day }} · {{ total|money:'SEK' }} · {{ total|amount }}"
    )
    with translation.override("sv"):
        text = template.render(Context({"when": date(2026, 12, 1), "total": Decimal("1234.5")}))
    assert text == f"1 december 2026 · 1{NBSP}234,50 kr · 1{NBSP}234,50"
    assert amount(None) == "" and day(None) == ""


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "2026-11-21 · 2026-11-21 09:30"), ("sv", "21 november 2026 · 21 november 2026 09:30")],
)
def test_djangos_own_date_formats_read_as_the_portals(language, expected):
    """Pages and admin that format with DATE_FORMAT / DATETIME_FORMAT read like `day` and
    `moment`: ISO in English, never "Nov. 21, 2026"."""
    template = Template('{{ d|date:"DATE_FORMAT" }} · {{ t|date:"DATETIME_FORMAT" }}')
    context = Context({"d": date(2026, 11, 21), "t": datetime(2026, 11, 21, 9, 30)})
    with translation.override(language):
        assert template.render(context) == expected


@pytest.mark.parametrize(("language", "expected"), [("en", "2,000"), ("sv", "2\xa0000")])
def test_a_count_such_as_a_seat_cap_is_grouped_as_the_language_groups_it(language, expected):
    with translation.override(language):
        assert Template("{% load portal_format %}{{ n|count }}").render(Context({"n": 2000})) == (
            expected
        )
