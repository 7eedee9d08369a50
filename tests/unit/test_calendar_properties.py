"""Properties of working-day counting, over every date the service will plausibly see."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.builders import official_calendar

CALENDAR = official_calendar()  # shared: it caches each year's holidays
PROPERTY = settings(max_examples=200, deadline=None)

days = st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31))
counts = st.integers(min_value=1, max_value=80)


def working_days_between(first_excluded: date, last_included: date) -> int:
    span = (last_included - first_excluded).days
    return sum(
        CALENDAR.is_working_day(first_excluded + timedelta(days=k)) for k in range(1, span + 1)
    )


@PROPERTY
@given(start=days, n=counts)
def test_a_deadline_is_always_a_working_day(start, n):
    assert CALENDAR.is_working_day(CALENDAR.add_working_days(start, n))


@PROPERTY
@given(start=days, n=counts)
def test_a_deadline_is_strictly_after_its_start(start, n):
    assert CALENDAR.add_working_days(start, n) > start


@PROPERTY
@given(start=days, n=counts)
def test_exactly_n_working_days_lie_after_the_start_up_to_the_deadline(start, n):
    due = CALENDAR.add_working_days(start, n)

    assert working_days_between(start, due) == n


@PROPERTY
@given(first=days, second=days, n=counts)
def test_a_later_start_never_gives_an_earlier_deadline(first, second, n):
    earlier, later = sorted((first, second))

    assert CALENDAR.add_working_days(earlier, n) <= CALENDAR.add_working_days(later, n)


@PROPERTY
@given(start=days, days_later=st.integers(min_value=0, max_value=130), n=counts)
def test_a_case_is_overdue_exactly_when_it_started_on_or_before_the_latest_overdue_start(
    start, days_later, n
):
    today = start + timedelta(days=days_later)
    overdue = CALENDAR.add_working_days(start, n) < today

    assert overdue == (start <= CALENDAR.latest_start_overdue(today, n))


@PROPERTY
@given(today=days, n=counts)
def test_a_case_started_on_the_latest_overdue_start_is_overdue(today, n):
    latest = CALENDAR.latest_start_overdue(today, n)

    assert CALENDAR.add_working_days(latest, n) < today


@PROPERTY
@given(today=days, n=counts)
def test_a_case_started_the_day_after_the_latest_overdue_start_is_not_overdue(today, n):
    latest = CALENDAR.latest_start_overdue(today, n)

    assert CALENDAR.add_working_days(latest + timedelta(days=1), n) >= today


@PROPERTY
@given(today=days, n=counts)
def test_n_working_days_are_left_to_a_deadline_n_working_days_away(today, n):
    assert CALENDAR.working_days_left(today, CALENDAR.add_working_days(today, n)) == n


@PROPERTY
@given(start=days, days_later=st.integers(min_value=0, max_value=130), n=counts)
def test_working_days_left_are_negative_exactly_when_the_case_is_overdue(start, days_later, n):
    today = start + timedelta(days=days_later)
    due = CALENDAR.add_working_days(start, n)

    assert (CALENDAR.working_days_left(today, due) < 0) == (due < today)
