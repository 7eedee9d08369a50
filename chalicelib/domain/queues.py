"""Which work queues a complaint belongs to, derived from its state.

Storage writes these keys beside the complaint so each queue, and each sweep, is
a key query on a sparse index rather than a scan.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from chalicelib.domain.complaint import TRIAGE_STATES, Complaint, EscalationLevel, Status
from chalicelib.domain.escalation import EscalationPolicy


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
