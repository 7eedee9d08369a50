"""The working calendar in force, and the admin changes that move it.

The calendar in force for a region is the official list (python-holidays where a
year has none, provisional) with the national admin changes and the region's own.
Every evaluation asks DynamoDB, with one small consistent read, for the version
of each scope it uses, and re-reads a scope's changes only when that version
moved: a change made in any container is in force for the next request and the
next sweep everywhere, and an unchanged calendar costs one request.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date, datetime

from chalicelib.domain import access
from chalicelib.domain.access import Actor
from chalicelib.domain.calendar import (
    NATIONAL,
    ChangeType,
    Holiday,
    HolidayChange,
    HolidayKind,
    HolidaySource,
    HolidayYear,
    WorkingCalendar,
    check_change,
    in_force,
    kinds_for,
)
from chalicelib.domain.errors import ConflictError, PermissionDeniedError, ValidationError
from chalicelib.storage.holidays import HolidayChangeRepository, StaleCalendarError

ATTEMPTS = 3  # a change that loses a race is checked again against the new calendar


@dataclass(frozen=True)
class ChangeRequest:
    scope: str
    day: date
    change: ChangeType
    reason: str
    kind: HolidayKind | None = None
    name: str | None = None


@dataclass
class HolidayCalendars:
    base: HolidaySource
    log: HolidayChangeRepository
    # (scope, year) -> (the scope's version when read, its changes in that year)
    _changes: dict[tuple[str, int], tuple[int, list[HolidayChange]]] = field(
        default_factory=dict, repr=False
    )
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def for_scope(self, scope: str) -> WorkingCalendar:
        """The calendar in force in a region (a region code) or in the nation
        (`national`); it reads storage lazily, on its first question."""
        return WorkingCalendar(_InForce(self, scope))

    def changes_at(self, scope: str, version: int, year: int) -> list[HolidayChange]:
        """A scope's changes in `year` as of `version`: from this container's copy
        when it is that version, otherwise read again (one key query)."""
        if version == 0:
            return []  # no change was ever made in this scope
        key = (scope, year)
        with self._lock:
            cached = self._changes.get(key)
        if cached is not None and cached[0] == version:
            return cached[1]
        changes = self.log.changes(scope, year)
        with self._lock:
            self._changes[key] = (version, changes)
        return changes

    # -- changes ----------------------------------------------------------------

    def change(self, request: ChangeRequest, actor: Actor, now: datetime) -> HolidayChange:
        """Record an admin change of the calendar, checked against the calendar in
        force in its scope; the scope must be `national` or a known region."""
        if not access.can_change_calendar(actor, request.scope):
            raise PermissionDeniedError(_change_refusal(actor))
        for _ in range(ATTEMPTS):
            source = _InForce(self, request.scope)
            current = WorkingCalendar(source).holiday(request.day)
            change = _change_from(request, current, actor, now, source.versions[request.scope])
            check_change(change, current)
            try:
                return self.log.append(change)
            except StaleCalendarError:
                continue
        raise ConflictError(
            f"the {request.scope} calendar is being changed by others; try again", field="scope"
        )

    def changes(self, scope: str, year: int, actor: Actor) -> list[HolidayChange]:
        if not access.can_read_calendar_changes(actor, scope):
            raise PermissionDeniedError("this calendar's changes are not yours to read")
        return self.log.changes(scope, year)


def _change_refusal(actor: Actor) -> str:
    if actor.role is access.Role.ADMIN_DAERAH:
        return f"a regional admin changes only the calendar of {actor.region}"
    return "only admins change the holiday calendar"


def _change_from(
    request: ChangeRequest, current: Holiday | None, actor: Actor, now: datetime, version: int
) -> HolidayChange:
    """The change event; a removal takes the name and kind of the day it removes."""
    if request.change is ChangeType.ADD:
        if not request.name:
            raise ValidationError("name the day off, e.g. Cuti Bersama Natal", field="name")
        name, kind = request.name, request.kind or kinds_for(request.scope)[0]
    else:
        name = request.name or (current.name if current else "")
        kind = request.kind or (current.kind if current else kinds_for(request.scope)[0])
    return HolidayChange(
        scope=request.scope,
        day=request.day,
        change=request.change,
        kind=kind,
        name=name,
        reason=request.reason,
        actor=actor.subject,
        role=actor.role.value,
        at=now,
        version=version + 1,
    )


class _InForce:
    """A holiday source for one evaluation: the versions are read once, on the
    first year asked for, and every year of this evaluation uses them."""

    def __init__(self, calendars: HolidayCalendars, scope: str):
        self._calendars = calendars
        self._scopes = (NATIONAL,) if scope == NATIONAL else (NATIONAL, scope)
        self.versions: dict[str, int] = {}

    def year(self, year: int) -> HolidayYear:
        if not self.versions:
            self.versions = self._calendars.log.versions(self._scopes)
        national, *regional = (
            self._calendars.changes_at(scope, self.versions[scope], year) for scope in self._scopes
        )
        return in_force(self._calendars.base.year(year), national, regional[0] if regional else ())
