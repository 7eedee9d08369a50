"""Which work queues a complaint belongs to, derived from its state, and what a
queue shows of each complaint.

Storage writes these keys beside the complaint so each queue, and each sweep, is
a key query on a sparse index rather than a scan. A queue is narrowed by the
local dates of receipt and by category; each item carries the deadline that
matters in its queue, computed from the calendar in force and today's local date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum

from chalicelib.domain.calendar import WorkingCalendar, start_of_day
from chalicelib.domain.closure import DEFAULT_CLOSURE, ClosurePolicy, info_due, reply_due
from chalicelib.domain.complaint import TRIAGE_STATES, Complaint, EscalationLevel, Status
from chalicelib.domain.errors import ValidationError
from chalicelib.domain.escalation import EscalationPolicy, deadlines
from chalicelib.domain.region import Region


class Queue(StrEnum):
    TRIAGE = "triage"  # to verify, or verified and not yet routed (central admin)
    AGENCY = "agency"  # open and routed to one agency
    INTERVENTION = "intervention"  # 30 WD without follow-up (regional admin)
    TAKEOVER = "takeover"  # 60 WD without follow-up (central admin holds it)
    AWAITING_REPLY = "awaiting-reply"  # resolved; the reporter has 10 WD to answer
    AWAITING_INFO = "awaiting-info"  # sent back to the reporter for missing information
    QUARANTINE = "quarantine"  # held as spam, for review


class Timer(StrEnum):
    """Waits that close a complaint when they run out (the closure sweep)."""

    REPLY = "reply"  # resolved: closed without reply after 10 working days
    INFO = "info"  # sent back: withdrawn after 30 days without the information


@dataclass(frozen=True)
class QueueKeys:
    clock_queue: str | None  # "<region>#<next level>" while the clock runs
    stage_queue: str | None  # a queue of Queue other than the agency's
    agency_queue: str | None  # "<region>#<agency>"
    timer_queue: str | None = None  # "<region>#<timer>" while a closing wait runs
    timer_date: str | None = None  # local date the wait started (ISO), day 0


def stage_partition(queue: Queue, region: str) -> str:
    return queue.value if queue is Queue.TAKEOVER else f"{queue.value}#{region}"


def agency_partition(region: str, agency: str) -> str:
    return f"{region}#{agency}"


def clock_partition(region: str, level: EscalationLevel) -> str:
    return f"{region}#{level.value}"


def timer_partition(region: str, timer: Timer) -> str:
    return f"{region}#{timer.value}"


def queue_keys(complaint: Complaint, policy: EscalationPolicy) -> QueueKeys:
    region = complaint.region
    if complaint.status is Status.RESOLVED and complaint.resolved_on:
        return QueueKeys(
            None,
            stage_partition(Queue.AWAITING_REPLY, region),
            None,
            timer_partition(region, Timer.REPLY),
            complaint.resolved_on.isoformat(),
        )
    if complaint.status is Status.QUARANTINED:
        return QueueKeys(None, stage_partition(Queue.QUARANTINE, region), None)
    if not complaint.is_open:
        return QueueKeys(None, None, None)
    if complaint.status is Status.NEEDS_INFO and complaint.info_requested_on:
        return QueueKeys(
            None,
            stage_partition(Queue.AWAITING_INFO, region),
            None,
            timer_partition(region, Timer.INFO),
            complaint.info_requested_on.isoformat(),
        )
    next_step = policy.step_after(complaint.escalation)
    clock = (
        clock_partition(complaint.region, next_step.level)
        if complaint.clock_running and next_step
        else None
    )
    stage: str | None = None
    if complaint.escalation is EscalationLevel.TAKEOVER:
        stage = stage_partition(Queue.TAKEOVER, complaint.region)
    elif complaint.escalation is EscalationLevel.INTERVENTION and complaint.clock_running:
        stage = stage_partition(Queue.INTERVENTION, complaint.region)
    elif complaint.status in TRIAGE_STATES:
        stage = stage_partition(Queue.TRIAGE, complaint.region)
    agency = agency_partition(complaint.region, complaint.agency) if complaint.agency else None
    return QueueKeys(clock, stage, agency)


def public_feed(complaint: Complaint) -> str | None:
    """The public listing partition (the region) of a complaint the public may
    see; none for a confidential one (or one held as spam), so it never enters
    the index."""
    hidden = complaint.confidential or complaint.status is Status.QUARANTINED
    return None if hidden else complaint.region


# --- what a queue shows -----------------------------------------------------------


@dataclass(frozen=True)
class TriageStandard:
    """The published standard for the central admin's first steps: verification
    within 1 working day, routing to the agency within 1-3 working days (the upper
    bound is the deadline). Data, so another standard changes numbers, not code."""

    verification_working_days: int = 1
    routing_working_days: int = 3


DEFAULT_TRIAGE = TriageStandard()

# The fields of each queue's block, in the order an export shows them. Dates are
# local dates; `working_days_left` is `WorkingCalendar.working_days_left` to the
# queue's deadline (None once the follow-up clock stopped); `days_left` counts
# calendar days, as the 30-day wait for missing information does.
QUEUE_FIELDS: dict[Queue, tuple[str, ...]] = {
    Queue.TRIAGE: ("verification_due", "verification_overdue", "routing_due", "routing_overdue"),
    Queue.AGENCY: ("follow_up_due", "working_days_left"),
    Queue.INTERVENTION: ("takeover_due", "working_days_left"),
    Queue.TAKEOVER: ("takeover_due", "working_days_left"),
    Queue.AWAITING_REPLY: ("reply_due", "working_days_left"),
    Queue.AWAITING_INFO: ("info_due", "days_left"),
    Queue.QUARANTINE: (),
}

QueueValue = date | bool | int | None


def queue_block(
    queue: Queue,
    complaint: Complaint,
    today: date,
    zone: tzinfo,
    calendar: WorkingCalendar,
    policy: EscalationPolicy,
    standard: TriageStandard = DEFAULT_TRIAGE,
    closure: ClosurePolicy = DEFAULT_CLOSURE,
) -> dict[str, QueueValue]:
    """The deadline that matters to whoever works `queue`, on the local date `today`.

    Triage: verification (a complaint not yet verified) and routing are due 1 and
    3 working days after the complete complaint was received (day 0, the clock's
    start date), and overdue from 00:00 local time of the day after. Agency: the
    30-working-day follow-up. Intervention and takeover: the 60-working-day
    takeover. Awaiting reply: the reporter's 10 working days. Awaiting information:
    the 30 calendar days.
    """
    c = complaint
    if queue is Queue.TRIAGE:
        start = c.clock_start_date
        routing = calendar.add_working_days(start, standard.routing_working_days)
        verification = (
            calendar.add_working_days(start, standard.verification_working_days)
            if c.status is Status.RECEIVED
            else None
        )
        return {
            "verification_due": verification,
            "verification_overdue": today > verification if verification else None,
            "routing_due": routing,
            "routing_overdue": today > routing,
        }
    if queue in (Queue.AGENCY, Queue.INTERVENTION, Queue.TAKEOVER):
        due = deadlines(c.clock_start_date, calendar, zone, policy)
        name, day = (
            ("follow_up_due", due.follow_up_due.due)
            if queue is Queue.AGENCY
            else ("takeover_due", due.takeover_due.due)
        )
        left = calendar.working_days_left(today, day) if c.clock_running else None
        return {name: day, "working_days_left": left}
    if queue is Queue.AWAITING_REPLY:
        reply = reply_due(c.resolved_on, calendar, closure) if c.resolved_on else None
        return {
            "reply_due": reply,
            "working_days_left": calendar.working_days_left(today, reply) if reply else None,
        }
    if queue is Queue.AWAITING_INFO:
        info = info_due(c.info_requested_on, closure) if c.info_requested_on else None
        return {"info_due": info, "days_left": (info - today).days if info else None}
    return {}


# --- narrowing a queue ------------------------------------------------------------


@dataclass(frozen=True)
class QueueFilter:
    """A queue narrowed to one category and to complaints received in
    [received_from, received_before): instants, the bounds of local dates."""

    category: str | None = None
    received_from: datetime | None = None
    received_before: datetime | None = None


def queue_filter(
    region: Region,
    category: str | None = None,
    received_from: date | None = None,
    received_to: date | None = None,
) -> QueueFilter:
    """The filter of local dates `received_from` to `received_to` (both inclusive,
    in the region's zone) and a category the region knows.

    The window runs from 00:00 local time of `received_from` to just before 00:00
    local time of the day after `received_to`, so a complaint received at 23:30
    WIB on the last day is in and one at 00:00 the next day is out.
    """
    if category is not None:
        try:
            category = region.category_code(category)  # written as intake accepts it
        except ValueError:
            raise ValidationError(
                f"{region.code} has no category {category!r}; see its agencies' categories",
                field="category",
            ) from None
    if received_from and received_to and received_from > received_to:
        raise ValidationError(
            f"received_from {received_from.isoformat()} is after received_to "
            f"{received_to.isoformat()}",
            field="received_from",
        )
    zone = region.zone
    return QueueFilter(
        category=category,
        received_from=start_of_day(received_from, zone) if received_from else None,
        received_before=(
            start_of_day(received_to + timedelta(days=1), zone) if received_to else None
        ),
    )
