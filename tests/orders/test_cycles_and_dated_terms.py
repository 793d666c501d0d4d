"""Allotment cycles of two years from the first request (R-MS-11) and dated terms (R-MS-13)."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from orders.availability import quote_order
from orders.models import Allotment, cycle_containing
from tests.catalog.factories import add_terms

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def at(year, month, day):
    return time_machine.travel(datetime(year, month, day, 12, tzinfo=STOCKHOLM), tick=False)


@pytest.fixture
def no_certificate_needed(programme):
    """The certificate is tested elsewhere; here the clock moves across years."""
    programme.requires_certificate = False
    programme.save()


@pytest.fixture
def place_any(organisation, programme, no_certificate_needed):
    import uuid

    from orders.services import order_place

    def place_order(quantities):
        return order_place(
            organisation=organisation,
            programme=programme,
            quantities={p.pk: q for p, q in quantities.items()},
            placed_by=organisation.account_holder,
            idempotency_key=uuid.uuid4().hex,
        )

    return place_order


def test_cycles_follow_each_other_two_years_from_the_first_request():
    first = date(2024, 1, 10)
    assert cycle_containing(first, 2, date(2024, 1, 10)) == (date(2024, 1, 10), date(2026, 1, 10))
    assert cycle_containing(first, 2, date(2026, 1, 9)) == (date(2024, 1, 10), date(2026, 1, 10))
    assert cycle_containing(first, 2, date(2026, 1, 10)) == (date(2026, 1, 10), date(2028, 1, 10))
    assert cycle_containing(first, 2, date(2029, 6, 1)) == (date(2028, 1, 10), date(2030, 1, 10))


def test_a_cycle_from_29_february_ends_on_28_february():
    assert cycle_containing(date(2024, 2, 29), 2, date(2025, 1, 1))[1] == date(2026, 2, 28)


def test_the_grant_is_used_up_within_a_cycle_and_renewed_across_its_boundary(
    place_any, make_product, organisation, programme
):
    windows = make_product(price="9.00", grant=50, kind="perpetual_licence")
    with at(2024, 1, 10):
        first = place_any({windows: 30})
    with at(2025, 6, 1):
        second = place_any({windows: 30})
    with at(2026, 1, 9):
        last_day = place_any({windows: 5})
    with at(2026, 1, 10):
        next_cycle = place_any({windows: 30})

    assert Allotment.objects.get(organisation=organisation).first_requested_on == date(2024, 1, 10)
    assert [o.cycle_starts_on for o in (first, second, last_day, next_cycle)] == [
        date(2024, 1, 10),
        date(2024, 1, 10),
        date(2024, 1, 10),
        date(2026, 1, 10),
    ]
    split = [
        (o.lines.get().granted_quantity, o.lines.get().paid_quantity)
        for o in (first, second, last_day, next_cycle)
    ]
    assert split == [(30, 0), (20, 10), (0, 5), (30, 0)]


def test_the_catalogue_quote_shows_what_is_left_in_the_current_cycle(
    place_any, make_product, organisation, programme
):
    premium = make_product(price="5.50", grant=10)
    with at(2024, 3, 1):
        place_any({premium: 8})
        quote = quote_order(
            organisation=organisation,
            programme=programme,
            quantities={premium.pk: 5},
            day=date(2024, 3, 1),
        )
    line = quote.lines[0]
    assert (line.grant_left, line.granted, line.paid) == (2, 2, 3)
    assert (quote.cycle_start, quote.cycle_end) == (date(2024, 3, 1), date(2026, 3, 1))


def test_the_price_in_force_on_the_day_of_the_order_is_used(place_any, make_product):
    e1 = make_product(price="2.50", grant=0)
    add_terms(e1, effective_from=date(2026, 1, 1), price="3.10")
    with at(2025, 12, 31):
        before = place_any({e1: 5})
    with at(2026, 1, 1):
        after = place_any({e1: 5})
    assert before.lines.get().unit_price == Decimal("2.50")
    assert after.lines.get().unit_price == Decimal("3.10")
    assert (before.total, after.total) == (Decimal("12.50"), Decimal("15.50"))


def test_a_scheduled_change_does_not_alter_an_order_placed_before_it(place_any, make_product):
    e1 = make_product(price="2.50")
    with at(2025, 11, 1):
        order = place_any({e1: 10})
        add_terms(e1, effective_from=date(2026, 1, 1), price="4.00")
    order.refresh_from_db()
    assert order.lines.get().unit_price == Decimal("2.50")
    assert order.total == Decimal("25.00")


def test_a_grant_retired_on_1_july_2025_is_no_longer_given(place_any, make_product):
    """R-MS-13: the Business Premium grant was retired at renewal on 1 July 2025."""
    premium = make_product(price="5.50", grant=10)
    add_terms(premium, effective_from=date(2025, 7, 1), price="5.50", grant=0)
    with at(2025, 6, 30):
        before = place_any({premium: 5}).lines.get()
    with at(2025, 7, 1):
        after = place_any({premium: 5}).lines.get()
    assert (before.granted_quantity, before.paid_quantity) == (5, 0)
    assert (after.granted_quantity, after.paid_quantity) == (0, 5)
