"""Working-day calendar (hari kerja).

A working day is Monday to Friday in the region's time zone, except the national
holidays and collective leave days (cuti bersama) in force. The start day is day 0
and never counts: the deadline for N working days is the Nth working day strictly
after the local date of the start instant, and the case is overdue from 00:00 local
time of the calendar day after that deadline.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import Protocol

SATURDAY, SUNDAY = 5, 6


class HolidayKind(StrEnum):
    NATIONAL = "national"
    CUTI_BERSAMA = "cuti_bersama"
    REGIONAL = "regional"


class HolidayOrigin(StrEnum):
    """Where a day off came from, shown beside each day of the calendar."""

    OFFICIAL = "official"  # the SKB lists packaged with the service
    ADMIN = "admin"  # added by an admin at run time
    LIBRARY = "library"  # python-holidays, for years without an official list


@dataclass(frozen=True)
class Holiday:
    day: date
    name: str
    kind: HolidayKind
    origin: HolidayOrigin
    source: str = ""


@dataclass(frozen=True)
class HolidayYear:
    """The days off of one year, and whether they are only an estimate."""

    holidays: Mapping[date, Holiday]
    provisional: bool = False


class HolidaySource(Protocol):
    def year(self, year: int) -> HolidayYear: ...


@dataclass
class WorkingCalendar:
    """Answers working-day questions from a holiday source, one year at a time."""

    source: HolidaySource
    _years: dict[int, HolidayYear] = field(default_factory=dict, repr=False)

    def _year(self, year: int) -> HolidayYear:
        if year not in self._years:
            self._years[year] = self.source.year(year)
        return self._years[year]

    def holiday(self, day: date) -> Holiday | None:
        return self._year(day.year).holidays.get(day)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() not in (SATURDAY, SUNDAY) and self.holiday(day) is None

    def add_working_days(self, start: date, n: int) -> date:
        """The Nth working day strictly after `start` (`start` itself is day 0)."""
        if n < 1:
            raise ValueError("n must be at least 1")
        day, counted = start, 0
        while counted < n:
            day += timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days strictly after `start` up to and including `end` (0 if
        `end` is not after `start`): how many are left from `start` to a deadline."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count

    def latest_start_overdue(self, today: date, n: int) -> date:
        """The latest start date whose N-working-day deadline lies before `today`.

        Every start on or before the returned date is overdue on `today`; every
        later start is not. Deadlines never move backwards as the start moves
        forwards, so this one date splits all cases, which lets a sweep read only
        the cases that are due.
        """
        if n < 1:
            raise ValueError("n must be at least 1")
        day, counted = today, 0
        while counted < n:
            day -= timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return day - timedelta(days=1)

    def is_provisional(self, first: date, last: date) -> bool:
        """True when any year in [first, last] has no official list."""
        return any(self._year(y).provisional for y in range(first.year, last.year + 1))


def local_date(instant: datetime, zone: tzinfo) -> date:
    """The calendar date of an instant in the region's time zone."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("instant must be timezone-aware")
    return instant.astimezone(zone).date()


def start_of_day(day: date, zone: tzinfo) -> datetime:
    """00:00 local time of `day`, as an aware instant."""
    return datetime.combine(day, time.min, tzinfo=zone)
