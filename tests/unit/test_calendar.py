"""The working-day calendar against the official SKB lists and the brief's examples."""

from datetime import date

import pytest

from chalicelib.domain.calendar import HolidayOrigin, local_date, start_of_day
from chalicelib.domain.escalation import DEFAULT_POLICY, deadlines
from chalicelib.services.holiday_sources import official_holidays
from tests.unit.builders import (
    WIB,
    WIT,
    calendar_without,
    complaint,
    official_calendar,
    utc,
    wib,
)

ELECTION_DAY_2024 = date(2024, 11, 27)  # made a holiday on 22 Nov 2024, six days ahead


# --- the official list -------------------------------------------------------------


def test_the_official_list_holds_108_distinct_dates():
    days = [h.day for h in official_holidays()]

    assert len(days) == 108
    assert len(set(days)) == 108


def test_the_official_list_covers_2024_to_2027():
    assert {h.day.year for h in official_holidays()} == {2024, 2025, 2026, 2027}


def test_every_date_in_the_official_list_is_not_a_working_day():
    calendar = official_calendar()

    working = [h.day for h in official_holidays() if calendar.is_working_day(h.day)]

    assert working == []


def test_every_official_holiday_is_reported_as_official():
    calendar = official_calendar()

    origins = {calendar.holiday(h.day).origin for h in official_holidays()}

    assert origins == {HolidayOrigin.OFFICIAL}


def test_the_holiday_added_in_august_2025_is_not_a_working_day():
    assert not official_calendar().is_working_day(date(2025, 8, 18))


def test_an_ordinary_weekday_is_a_working_day():
    assert official_calendar().is_working_day(date(2025, 5, 21))


@pytest.mark.parametrize("weekend_day", [date(2025, 5, 24), date(2025, 5, 25)])
def test_saturday_and_sunday_are_not_working_days(weekend_day):
    assert not official_calendar().is_working_day(weekend_day)


# --- local date first --------------------------------------------------------------


def test_an_instant_late_on_friday_utc_is_saturday_in_wib():
    assert local_date(utc(2024, 8, 2, 17, 30), WIB) == date(2024, 8, 3)


def test_the_local_date_changes_at_local_midnight_not_utc_midnight():
    assert local_date(utc(2024, 8, 2, 16, 59, 59), WIB) == date(2024, 8, 2)


def test_the_same_instant_can_be_a_different_local_date_in_wit():
    assert local_date(utc(2024, 8, 2, 14, 59), WIT) == date(2024, 8, 2)
    assert local_date(utc(2024, 8, 2, 15, 0), WIT) == date(2024, 8, 3)


def test_counting_starts_from_the_local_date_not_the_utc_date():
    # Thursday 1 Aug in UTC, already Friday 2 Aug in WIB: day 1 is the next Monday.
    start = local_date(utc(2024, 8, 1, 17, 30), WIB)

    assert official_calendar().add_working_days(start, 1) == date(2024, 8, 5)


def test_a_naive_instant_has_no_local_date():
    with pytest.raises(ValueError, match="timezone-aware"):
        local_date(utc(2024, 8, 2).replace(tzinfo=None), WIB)


def test_start_of_day_is_local_midnight():
    assert start_of_day(date(2025, 5, 24), WIB) == utc(2025, 5, 23, 17, 0)


# --- counting ----------------------------------------------------------------------


def test_the_start_day_never_counts():
    # Mon 19 May 2025 is a working day; one working day later is Tuesday.
    assert official_calendar().add_working_days(date(2025, 5, 19), 1) == date(2025, 5, 20)


def test_a_start_on_a_weekend_counts_from_the_next_working_day():
    assert official_calendar().add_working_days(date(2024, 8, 3), 1) == date(2024, 8, 5)


@pytest.mark.parametrize("n", [0, -1])
def test_add_working_days_refuses_fewer_than_one_day(n):
    with pytest.raises(ValueError):
        official_calendar().add_working_days(date(2025, 5, 19), n)


@pytest.mark.parametrize("n", [0, -1])
def test_latest_start_overdue_refuses_fewer_than_one_day(n):
    with pytest.raises(ValueError):
        official_calendar().latest_start_overdue(date(2025, 5, 19), n)


def test_received_27_march_2025_is_due_friday_23_may_after_lebaran():
    assert official_calendar().add_working_days(date(2025, 3, 27), 30) == date(2025, 5, 23)


def test_received_27_march_2025_is_overdue_from_saturday_24_may_midnight_wib():
    found = deadlines(date(2025, 3, 27), official_calendar(), WIB, DEFAULT_POLICY)

    assert found.follow_up_due.overdue_from == wib(2025, 5, 24, 0, 0)


def test_an_overdue_instant_may_fall_on_a_saturday():
    found = deadlines(date(2025, 3, 27), official_calendar(), WIB, DEFAULT_POLICY)

    assert found.follow_up_due.overdue_from.weekday() == 5


def test_received_2_january_2024_is_due_friday_16_february_after_the_election():
    assert official_calendar().add_working_days(date(2024, 1, 2), 30) == date(2024, 2, 16)


def test_received_1_november_2024_is_due_monday_16_december_with_the_official_list():
    assert official_calendar().add_working_days(date(2024, 11, 1), 30) == date(2024, 12, 16)


def test_received_1_november_2024_was_due_friday_13_december_before_27_november_was_declared():
    calendar = calendar_without(ELECTION_DAY_2024)

    assert calendar.add_working_days(date(2024, 11, 1), 30) == date(2024, 12, 13)


def test_a_holiday_declared_at_run_time_moves_a_deadline_without_touching_the_stored_case():
    case = complaint(clock_start_date=date(2024, 11, 1))
    stored = repr(case)

    before = deadlines(
        case.clock_start_date, calendar_without(ELECTION_DAY_2024), WIB, DEFAULT_POLICY
    )
    after = deadlines(case.clock_start_date, official_calendar(), WIB, DEFAULT_POLICY)

    assert (before.follow_up_due.due, after.follow_up_due.due) == (
        date(2024, 12, 13),
        date(2024, 12, 16),
    )
    assert repr(case) == stored


# --- provisional years -------------------------------------------------------------


@pytest.mark.parametrize("year", [2024, 2025, 2026, 2027])
def test_a_year_with_an_official_list_is_not_provisional(year):
    assert not official_calendar().is_provisional(date(year, 1, 1), date(year, 12, 31))


def test_a_year_without_an_official_list_is_provisional():
    assert official_calendar().is_provisional(date(2028, 1, 1), date(2028, 12, 31))


def test_a_year_without_an_official_list_takes_its_holidays_from_the_library():
    # Labour Day 2028 is a Monday.
    holiday = official_calendar().holiday(date(2028, 5, 1))

    assert holiday is not None
    assert holiday.origin is HolidayOrigin.LIBRARY


def test_a_library_holiday_is_not_a_working_day():
    assert not official_calendar().is_working_day(date(2028, 5, 1))


def test_a_deadline_that_crosses_into_2028_is_provisional():
    calendar = official_calendar()
    start = date(2027, 12, 1)
    due = calendar.add_working_days(start, 30)

    assert due.year == 2028
    assert calendar.is_provisional(start, due)


def test_deadlines_that_stay_within_official_years_are_not_provisional():
    found = deadlines(date(2025, 3, 27), official_calendar(), WIB, DEFAULT_POLICY)

    assert not found.provisional


def test_deadlines_are_provisional_when_only_the_takeover_reaches_2028():
    found = deadlines(date(2027, 11, 15), official_calendar(), WIB, DEFAULT_POLICY)

    assert found.follow_up_due.due.year == 2027
    assert found.takeover_due.due.year == 2028
    assert found.provisional


# --- working days left ---------------------------------------------------------------


def test_the_working_days_left_to_a_deadline_skip_holidays_and_weekends():
    # Thu 27 Mar 2025 to Fri 23 May 2025 is the 30-working-day span of the brief.
    assert official_calendar().working_days_between(date(2025, 3, 27), date(2025, 5, 23)) == 30


def test_no_working_days_are_left_on_the_deadline_itself_or_after_it():
    calendar = official_calendar()

    assert calendar.working_days_between(date(2025, 5, 23), date(2025, 5, 23)) == 0
    assert calendar.working_days_between(date(2025, 5, 24), date(2025, 5, 23)) == 0


def test_from_a_weekend_the_next_working_day_is_one_day_left():
    assert official_calendar().working_days_between(date(2025, 5, 24), date(2025, 5, 26)) == 1


# --- working days left to a deadline --------------------------------------------------

GOOD_FRIDAY_2025 = date(2025, 4, 18)


def test_working_days_left_count_the_working_days_after_today_up_to_the_due_day():
    # Mon 14 Apr to Tue 15 Apr 2025: only Tuesday is left.
    assert official_calendar().working_days_left(date(2025, 4, 14), date(2025, 4, 15)) == 1


def test_no_working_day_is_left_on_the_due_day_itself():
    assert official_calendar().working_days_left(date(2025, 4, 15), date(2025, 4, 15)) == 0


def test_a_holiday_in_between_is_not_a_working_day_left():
    today, due = date(2025, 4, 16), date(2025, 4, 22)  # Wed to Tue, Good Friday between

    assert official_calendar().working_days_left(today, due) == 3  # Thu, Mon, Tue
    assert calendar_without(GOOD_FRIDAY_2025).working_days_left(today, due) == 4


def test_a_weekend_before_a_monday_deadline_leaves_one_working_day():
    assert official_calendar().working_days_left(date(2025, 4, 26), date(2025, 4, 28)) == 1


def test_the_weekend_after_a_friday_deadline_is_already_one_day_overdue():
    calendar = official_calendar()
    due = date(2025, 4, 25)  # Friday

    assert calendar.working_days_left(date(2025, 4, 26), due) == -1  # Saturday
    assert calendar.working_days_left(date(2025, 4, 28), due) == -1  # Monday
    assert calendar.working_days_left(date(2025, 4, 29), due) == -2  # Tuesday


def test_a_holiday_after_the_deadline_does_not_count_as_a_day_late():
    due = date(2025, 4, 17)  # Thursday before Good Friday

    assert official_calendar().working_days_left(date(2025, 4, 22), due) == -2  # Mon, Tue
    assert calendar_without(GOOD_FRIDAY_2025).working_days_left(date(2025, 4, 22), due) == -3
