"""Office hours: when staff are told of something that happened outside them.

A case falls due whenever the calendar says (a Saturday too) and is flagged then;
the people who must act on it are told at the next moment their office is open:
a working day of the region's calendar, between opening and closing time, local.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo

from chalicelib.domain.calendar import WorkingCalendar, local_date


@dataclass(frozen=True)
class OfficeHours:
    opens: time = time(8, 0)
    closes: time = time(16, 0)  # Indonesian government offices: 08:00-16:00 local


DEFAULT_OFFICE_HOURS = OfficeHours()


def next_office_moment(
    now: datetime,
    calendar: WorkingCalendar,
    zone: tzinfo,
    hours: OfficeHours = DEFAULT_OFFICE_HOURS,
) -> datetime:
    """`now` if the office is open then; otherwise opening time of the next
    working day (today's, if it has not opened yet). An aware UTC instant."""
    day = local_date(now, zone)
    clock = now.astimezone(zone).time()
    if calendar.is_working_day(day):
        if hours.opens <= clock < hours.closes:
            return now
        if clock < hours.opens:
            return datetime.combine(day, hours.opens, tzinfo=zone).astimezone(UTC)
    day += timedelta(days=1)
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return datetime.combine(day, hours.opens, tzinfo=zone).astimezone(UTC)
