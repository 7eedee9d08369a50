"""Working-day calendar (hari kerja).

A working day is Monday to Friday in the region's time zone, except the national
holidays and collective leave days (cuti bersama) in force. The start day is day 0
and never counts: the deadline for N working days is the Nth working day strictly
after the local date of the start instant, and the case is overdue from 00:00 local
time of the calendar day after that deadline.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import Protocol

from chalicelib.domain.errors import ConflictError, ValidationError

SATURDAY, SUNDAY = 5, 6
NATIONAL = "national"  # the scope of changes that apply to every region


class HolidayKind(StrEnum):
    NATIONAL = "national"
    CUTI_BERSAMA = "cuti_bersama"
    REGIONAL = "regional"


class HolidayOrigin(StrEnum):
    """Where a day off came from, shown beside each day of the calendar."""

    OFFICIAL = "official"  # the SKB lists packaged with the service
    ADMIN = "admin"  # added by an admin at run time
    LIBRARY = "library"  # python-holidays, for years without an official list


class ChangeType(StrEnum):
    ADD = "add"  # the day becomes a day off
    REMOVE = "remove"  # the day becomes a working day again


def kinds_for(scope: str) -> tuple[HolidayKind, ...]:
    """The kinds of day off a scope declares, its default first: holidays and cuti
    bersama nationally, a region's own days off regionally."""
    if scope == NATIONAL:
        return (HolidayKind.NATIONAL, HolidayKind.CUTI_BERSAMA)
    return (HolidayKind.REGIONAL,)


@dataclass(frozen=True)
class HolidayChange:
    """An admin's change of the calendar: an append-only event with who, when, why.

    `scope` is `national` or a region code; `version` is the scope's version after
    the change, so the latest change of a day in a scope is the one in force.
    """

    scope: str
    day: date
    change: ChangeType
    kind: HolidayKind
    name: str
    reason: str
    actor: str
    role: str
    at: datetime
    version: int

    @property
    def is_national(self) -> bool:
        return self.scope == NATIONAL


@dataclass(frozen=True)
class Holiday:
    day: date
    name: str
    kind: HolidayKind
    origin: HolidayOrigin
    source: str = ""
    change: HolidayChange | None = None  # the admin change that declared it, if any


@dataclass(frozen=True)
class CancelledHoliday:
    """A day off of the official list (or the library) that an admin change made a
    working day again, e.g. a holiday the government moved."""

    holiday: Holiday
    change: HolidayChange


@dataclass(frozen=True)
class HolidayYear:
    """The days off of one year, and whether they are only an estimate."""

    holidays: Mapping[date, Holiday]
    provisional: bool = False
    cancelled: Mapping[date, CancelledHoliday] = field(default_factory=dict)


class HolidaySource(Protocol):
    def year(self, year: int) -> HolidayYear: ...


def latest_changes(changes: Iterable[HolidayChange]) -> list[HolidayChange]:
    """The change in force for each day: the latest of its scope, by version."""
    latest: dict[tuple[str, date], HolidayChange] = {}
    for change in changes:
        key = (change.scope, change.day)
        if key not in latest or change.version > latest[key].version:
            latest[key] = change
    return sorted(latest.values(), key=lambda c: (c.day, c.version))


def admin_holiday(change: HolidayChange) -> Holiday:
    return Holiday(change.day, change.name, change.kind, HolidayOrigin.ADMIN, change=change)


def in_force(
    base: HolidayYear,
    national: Iterable[HolidayChange] = (),
    regional: Iterable[HolidayChange] = (),
) -> HolidayYear:
    """The days off in force: the official list (or the library's estimate), then
    the national admin changes, then the region's own.

    A national removal can cancel an official or library day; a regional change
    only adds or withdraws the region's own days off and never touches a national
    one, so a region can never work on a day the nation is off.
    """
    days = dict(base.holidays)
    cancelled = dict(base.cancelled)
    for change in latest_changes(national):
        if change.change is ChangeType.ADD:
            days[change.day] = admin_holiday(change)
            cancelled.pop(change.day, None)
        else:
            days.pop(change.day, None)
            if change.day in base.holidays:
                cancelled[change.day] = CancelledHoliday(base.holidays[change.day], change)
    for change in latest_changes(regional):
        if change.change is ChangeType.ADD and change.day not in days:
            days[change.day] = admin_holiday(change)
    return HolidayYear(days, base.provisional, cancelled)


def check_change(change: HolidayChange, current: Holiday | None) -> None:
    """Whether `change` may be made where `current` is the day off now in force on
    its day in its scope (None: a working day or a weekend).

    An add needs a day that is not off yet; a removal needs a day off, and a
    regional removal only withdraws that region's own day off.
    """
    day = change.day.isoformat()
    if change.change is ChangeType.REMOVE:
        if current is None:
            raise ConflictError(f"{day} is not a day off in {change.scope}", field="date")
        if not change.is_national and (
            current.change is None or current.change.scope != change.scope
        ):
            raise ConflictError(
                f"{day} is a national day off ({current.name}); only a national change "
                "can make it a working day",
                field="scope",
            )
    allowed = kinds_for(change.scope)
    if change.kind not in allowed:
        names = " or ".join(k.value for k in allowed)
        raise ValidationError(f"a {change.scope} day off is of kind {names}", field="kind")
    if change.change is ChangeType.ADD and current is not None:
        raise ConflictError(
            f"{day} is already a day off: {current.name} ({describe(current)})", field="date"
        )


def describe(holiday: Holiday) -> str:
    if holiday.change is not None:
        return f"added by {holiday.change.actor} in {holiday.change.scope}"
    return holiday.origin.value


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

    def year(self, year: int) -> HolidayYear:
        """Every day off of `year` in force, and the official days cancelled."""
        return self._year(year)

    def working_days_in(self, year: int) -> int:
        first, last = date(year, 1, 1), date(year, 12, 31)
        days = (first + timedelta(days=n) for n in range((last - first).days + 1))
        return sum(1 for day in days if self.is_working_day(day))

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

    def working_days_left(self, today: date, due: date) -> int:
        """Working days left on `today` to the deadline `due` (the last working day
        allowed): the working days after today up to and including `due`, so 1 on
        the working day before and 0 on the due day itself.

        Past the due date the case is overdue and the count is negative: minus the
        working days after `due` up to and including today, and never above -1, so
        the weekend right after a Friday deadline is already -1 (as is the Monday).
        """
        if today <= due:
            return self.working_days_between(today, due)
        return -max(1, self.working_days_between(due, today))

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
