"""Which work queues a complaint belongs to, derived from its state.

Storage writes these keys beside the complaint so each queue, and each sweep, is
a key query on a sparse index rather than a scan.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from chalicelib.domain.complaint import Complaint, EscalationLevel, Status
from chalicelib.domain.escalation import EscalationPolicy


class Queue(StrEnum):
    TRIAGE = "triage"  # received, not yet routed (central admin)
    AGENCY = "agency"  # open and routed to one agency
    INTERVENTION = "intervention"  # 30 WD without follow-up (regional admin)
    TAKEOVER = "takeover"  # 60 WD without follow-up (central admin holds it)


@dataclass(frozen=True)
class QueueKeys:
    clock_queue: str | None  # "<region>#<next level>" while the clock runs
    stage_queue: str | None  # triage / intervention / takeover partition
    agency_queue: str | None  # "<region>#<agency>"


def stage_partition(queue: Queue, region: str) -> str:
    return queue.value if queue is Queue.TAKEOVER else f"{queue.value}#{region}"


def agency_partition(region: str, agency: str) -> str:
    return f"{region}#{agency}"


def clock_partition(region: str, level: EscalationLevel) -> str:
    return f"{region}#{level.value}"


def queue_keys(complaint: Complaint, policy: EscalationPolicy) -> QueueKeys:
    if not complaint.is_open:
        return QueueKeys(None, None, None)
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
    elif complaint.status is Status.RECEIVED:
        stage = stage_partition(Queue.TRIAGE, complaint.region)
    agency = agency_partition(complaint.region, complaint.agency) if complaint.agency else None
    return QueueKeys(clock, stage, agency)


def public_feed(complaint: Complaint) -> str | None:
    """The public listing partition (the region) of a complaint the public may
    see; none for a confidential one, so it never enters the index."""
    return None if complaint.confidential else complaint.region
