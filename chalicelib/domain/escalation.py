"""Escalation policy: who is brought in when nobody follows a complaint up.

The clock starts when a complete complaint is received and stops at the first
follow-up by the responsible party. After 30 working days without a follow-up the
regional admin may intervene; after 60 the central admin takes the case over.
Thresholds are data, so a region with another service standard changes numbers,
not code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from chalicelib.domain.calendar import WorkingCalendar, local_date, start_of_day
from chalicelib.domain.complaint import EscalationLevel


@dataclass(frozen=True)
class EscalationStep:
    level: EscalationLevel
    working_days: int


@dataclass(frozen=True)
class EscalationPolicy:
    steps: tuple[EscalationStep, ...] = (
        EscalationStep(EscalationLevel.INTERVENTION, 30),
        EscalationStep(EscalationLevel.TAKEOVER, 60),
    )

    def step_after(self, level: EscalationLevel) -> EscalationStep | None:
        """The next step above `level`, or None at the top."""
        for step in self.steps:
            if step.level.rank > level.rank:
                return step
        return None


DEFAULT_POLICY = EscalationPolicy()


@dataclass(frozen=True)
class Deadline:
    level: EscalationLevel
    due: date  # the last working day allowed, a local date
    overdue_from: datetime  # 00:00 local time of the next calendar day


@dataclass(frozen=True)
class Deadlines:
    follow_up_due: Deadline
    takeover_due: Deadline
    provisional: bool  # some year involved has no official holiday list yet


def deadlines(
    clock_start: date, calendar: WorkingCalendar, zone: tzinfo, policy: EscalationPolicy
) -> Deadlines:
    """The follow-up and takeover deadlines of a clock started on `clock_start`."""
    by_level = {}
    for step in policy.steps:
        due = calendar.add_working_days(clock_start, step.working_days)
        overdue = start_of_day(date.fromordinal(due.toordinal() + 1), zone)
        by_level[step.level] = Deadline(step.level, due, overdue)
    last = max(d.due for d in by_level.values())
    return Deadlines(
        follow_up_due=by_level[EscalationLevel.INTERVENTION],
        takeover_due=by_level[EscalationLevel.TAKEOVER],
        provisional=calendar.is_provisional(clock_start, last),
    )


def level_due(
    *,
    clock_start: date,
    clock_stopped: bool,
    current: EscalationLevel,
    now: datetime,
    zone: tzinfo,
    calendar: WorkingCalendar,
    policy: EscalationPolicy = DEFAULT_POLICY,
) -> EscalationLevel | None:
    """The escalation level a case must be raised to at `now`, or None.

    A stopped clock never escalates. Levels only rise; a case past 60 working days
    that was never flagged at 30 goes straight to takeover.
    """
    if clock_stopped:
        return None
    today = local_date(now, zone)
    reached = current
    for step in policy.steps:
        if step.level.rank <= reached.rank:
            continue
        if calendar.add_working_days(clock_start, step.working_days) < today:
            reached = step.level
    return reached if reached != current else None


def sweep_cutoff(
    step: EscalationStep, now: datetime, zone: tzinfo, calendar: WorkingCalendar
) -> date:
    """The latest clock-start date at which `step` is due at `now`.

    A sweep reads only the cases whose clock started on or before this date.
    """
    return calendar.latest_start_overdue(local_date(now, zone), step.working_days)
