"""R-VAL-4: the decision is due within 10 business days; weekends, public holidays and the
time the organisation takes to answer do not count."""

from datetime import date

import pytest
import time_machine

from validation import services
from validation.business_days import add_business_days, business_days_between, is_business_day

# November 2026: Monday 2nd … Friday 6th; Saturday 7th; All Saints' Day in Sweden is Sat 31 Oct.
MONDAY = date(2026, 11, 2)


@pytest.fixture(autouse=True)
def _sweden(settings):
    settings.VALIDATION_HOLIDAY_COUNTRY = "SE"


def test_weekends_are_not_business_days():
    assert is_business_day(date(2026, 11, 6))
    assert not is_business_day(date(2026, 11, 7))
    assert not is_business_day(date(2026, 11, 8))


def test_public_holidays_of_the_configured_country_are_not_business_days(settings):
    epiphany = date(2026, 1, 6)  # a Tuesday: a public holiday in Sweden, not in Norway
    maundy_thursday = date(2026, 4, 2)  # a public holiday in Norway, not in Sweden
    assert not is_business_day(epiphany)
    assert is_business_day(maundy_thursday)
    settings.VALIDATION_HOLIDAY_COUNTRY = "NO"
    assert is_business_day(epiphany)
    assert not is_business_day(maundy_thursday)


def test_days_are_counted_after_the_start_up_to_and_including_the_end():
    assert business_days_between(MONDAY, MONDAY) == 0
    assert business_days_between(MONDAY, date(2026, 11, 3)) == 1
    # Monday to the next Monday: five business days; the weekend is skipped.
    assert business_days_between(MONDAY, date(2026, 11, 9)) == 5


def test_ten_business_days_span_two_weekends_and_the_holidays_in_between():
    assert add_business_days(MONDAY, 10) == date(2026, 11, 16)
    # From Monday 21 December 2026: Christmas Day (Fri), New Year's Day (Fri) and Epiphany
    # (Wed 6 January 2027) are skipped as well as three weekends.
    assert add_business_days(date(2026, 12, 21), 10) == date(2027, 1, 7)
    assert business_days_between(date(2026, 12, 21), date(2027, 1, 7)) == 10


@time_machine.travel("2026-11-02 10:00 +01:00", tick=False)
def test_time_waiting_for_the_organisation_does_not_count(submit, reviewer, applicant):
    application = submit()
    assert application.due_on == date(2026, 11, 16)
    with time_machine.travel("2026-11-05 10:00 +01:00", tick=False):  # Thursday: 3 days
        application = services.application_request_information(
            application=application, actor=reviewer, message="Send your statutes."
        )
        assert application.business_days_waiting() == 3
        assert application.due_on is None
    with time_machine.travel("2026-11-19 10:00 +01:00", tick=False):  # two weeks later
        assert application.business_days_waiting() == 3  # paused
        application = services.application_answer(
            application=application, user=applicant, answer="Attached."
        )
        assert application.business_days_waiting() == 3
        # 7 business days are left: Thursday 19th + 7 = Monday 30th.
        assert application.due_on == date(2026, 11, 30)
    with time_machine.travel("2026-11-23 10:00 +01:00", tick=False):  # Monday
        application.refresh_from_db()
        assert application.business_days_waiting() == 5
        assert not application.is_overdue()
    with time_machine.travel("2026-12-01 10:00 +01:00", tick=False):
        assert application.business_days_waiting() == 11
        assert application.is_overdue()
