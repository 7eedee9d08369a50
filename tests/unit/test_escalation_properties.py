"""Properties of level_due: levels only rise, a stopped clock never escalates, and the
level due at an instant is exactly what the published deadlines say."""

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.domain.complaint import EscalationLevel
from chalicelib.domain.escalation import DEFAULT_POLICY, deadlines, level_due
from tests.unit.builders import ZONES, official_calendar

NONE = EscalationLevel.NONE
INTERVENTION = EscalationLevel.INTERVENTION
TAKEOVER = EscalationLevel.TAKEOVER
CALENDAR = official_calendar()
PROPERTY = settings(max_examples=200, deadline=None)

clock_starts = st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31))
# Sixty working days span about three calendar months; look up to five months ahead.
offsets = st.integers(min_value=-86_400, max_value=150 * 86_400).map(
    lambda seconds: timedelta(seconds=seconds)
)
zones = st.sampled_from(ZONES)
levels = st.sampled_from(list(EscalationLevel))


def instant(clock_start: date, offset: timedelta) -> datetime:
    return datetime.combine(clock_start, time(), tzinfo=UTC) + offset


def due_at(clock_start, now, zone, current, *, clock_stopped=False):
    return level_due(
        clock_start=clock_start,
        clock_stopped=clock_stopped,
        current=current,
        now=now,
        zone=zone,
        calendar=CALENDAR,
    )


@PROPERTY
@given(clock_start=clock_starts, offset=offsets, zone=zones, current=levels)
def test_level_due_never_lowers_a_level(clock_start, offset, zone, current):
    now = instant(clock_start, offset)
    raised = due_at(clock_start, now, zone, current)

    assert raised is None or raised.rank > current.rank


@PROPERTY
@given(clock_start=clock_starts, offset=offsets, zone=zones, current=levels)
def test_a_stopped_clock_never_escalates(clock_start, offset, zone, current):
    now = instant(clock_start, offset)
    assert due_at(clock_start, now, zone, current, clock_stopped=True) is None


@PROPERTY
@given(clock_start=clock_starts, offset=offsets, zone=zones, current=levels)
def test_level_due_agrees_with_the_published_deadlines(clock_start, offset, zone, current):
    now = instant(clock_start, offset)
    published = deadlines(clock_start, CALENDAR, zone, DEFAULT_POLICY)
    passed = [
        d.level
        for d in (published.follow_up_due, published.takeover_due)
        if now >= d.overdue_from and d.level.rank > current.rank
    ]
    expected = max(passed, key=lambda level: level.rank) if passed else None

    assert due_at(clock_start, now, zone, current) == expected


@PROPERTY
@given(clock_start=clock_starts, zone=zones)
def test_each_level_falls_due_at_the_first_instant_of_its_overdue_day(clock_start, zone):
    published = deadlines(clock_start, CALENDAR, zone, DEFAULT_POLICY)
    follow_up, takeover = published.follow_up_due, published.takeover_due
    just_before = timedelta(microseconds=1)

    assert due_at(clock_start, follow_up.overdue_from - just_before, zone, NONE) is None
    assert due_at(clock_start, follow_up.overdue_from, zone, NONE) is INTERVENTION
    assert due_at(clock_start, takeover.overdue_from - just_before, zone, NONE) is INTERVENTION
    assert due_at(clock_start, takeover.overdue_from, zone, NONE) is TAKEOVER
