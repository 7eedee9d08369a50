"""Waits that close a complaint when they run out.

A resolved complaint waits for its reporter: they may confirm, dispute or add
information within 10 working days; without a reply it closes as "closed without
reply", never as resolved. A complaint sent back for missing information waits 30
calendar days for it; without it the complaint is closed as withdrawn. Day 0 is the
local date the wait started; the wait runs out at 00:00 local time of the day after
its last day, like every deadline of the service.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from chalicelib.domain.calendar import WorkingCalendar, local_date
from chalicelib.domain.complaint import Closure, Complaint, Status


@dataclass(frozen=True)
class ClosurePolicy:
    reply_working_days: int = 10
    info_days: int = 30


DEFAULT_CLOSURE = ClosurePolicy()


def reply_due(resolved_on: date, calendar: WorkingCalendar, policy: ClosurePolicy) -> date:
    """The last day the reporter may answer a resolution."""
    return calendar.add_working_days(resolved_on, policy.reply_working_days)


def info_due(requested_on: date, policy: ClosurePolicy) -> date:
    """The last day the reporter may send the missing information."""
    return requested_on + timedelta(days=policy.info_days)


def can_reply(
    complaint: Complaint,
    now: datetime,
    zone: tzinfo,
    calendar: WorkingCalendar,
    policy: ClosurePolicy,
) -> bool:
    """A resolved complaint may be confirmed or disputed until its reply window ends,
    even if the closure sweep has not closed it yet."""
    if complaint.status is not Status.RESOLVED or complaint.resolved_on is None:
        return False
    return local_date(now, zone) <= reply_due(complaint.resolved_on, calendar, policy)


def closure_due(
    complaint: Complaint,
    now: datetime,
    zone: tzinfo,
    calendar: WorkingCalendar,
    policy: ClosurePolicy,
) -> Closure | None:
    """How `complaint` must close at `now` because its wait ran out, or None."""
    today = local_date(now, zone)
    resolved, requested = complaint.resolved_on, complaint.info_requested_on
    if complaint.status is Status.RESOLVED and resolved:
        return Closure.NO_REPLY if reply_due(resolved, calendar, policy) < today else None
    if complaint.status is Status.NEEDS_INFO and requested:
        return Closure.WITHDRAWN if info_due(requested, policy) < today else None
    return None


def reply_cutoff(
    now: datetime, zone: tzinfo, calendar: WorkingCalendar, policy: ClosurePolicy
) -> date:
    """The latest resolution date whose reply window has run out at `now`."""
    return calendar.latest_start_overdue(local_date(now, zone), policy.reply_working_days)


def info_cutoff(now: datetime, zone: tzinfo, policy: ClosurePolicy) -> date:
    """The latest request date whose 30 days have run out at `now`."""
    return local_date(now, zone) - timedelta(days=policy.info_days + 1)
