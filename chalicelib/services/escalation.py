"""The escalation sweep: flag intervention at 30 working days and takeover at 60.

It reads only the running clocks that are due (a key query per region and level)
and flags each with a conditional write, so a sweep run twice, or two at once,
flags a case once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime

from chalicelib.domain.calendar import WorkingCalendar
from chalicelib.domain.complaint import Complaint, EscalationLevel, Event
from chalicelib.domain.escalation import EscalationPolicy, deadlines, level_due, sweep_cutoff
from chalicelib.domain.messages import staff_escalated
from chalicelib.domain.office_hours import next_office_moment
from chalicelib.domain.outbox import OutboxMessage
from chalicelib.domain.region import Region
from chalicelib.services.notices import to_staff
from chalicelib.storage.complaints import ComplaintRepository, StaleVersionError

SWEEP_ACTOR = "system:escalation-sweep"


@dataclass
class SweepSummary:
    now: str
    regions: int = 0
    cases_read: int = 0
    flagged_intervention: int = 0
    flagged_takeover: int = 0
    skipped_changed: int = 0  # changed by someone else between read and write
    cutoffs: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def sweep_escalations(
    *,
    now: datetime,
    regions: Iterable[Region],
    repo: ComplaintRepository,
    calendar_for: Callable[[Region], WorkingCalendar],
    policy: EscalationPolicy,
) -> SweepSummary:
    summary = SweepSummary(now=now.isoformat())
    for region in regions:
        summary.regions += 1
        calendar = calendar_for(region)
        for step in policy.steps:
            cutoff = sweep_cutoff(step, now, region.zone, calendar)
            summary.cutoffs[f"{region.code}#{step.level.value}"] = cutoff.isoformat()
            for complaint in repo.clocks_due(region.code, step.level, cutoff):
                summary.cases_read += 1
                target = level_due(
                    clock_start=complaint.clock_start_date,
                    clock_stopped=not complaint.clock_running,
                    current=complaint.escalation,
                    now=now,
                    zone=region.zone,
                    calendar=calendar,
                    policy=policy,
                )
                if target is None:
                    continue
                after = complaint.changed(now, escalation=target)
                event = Event(
                    type="escalated",
                    at=now,
                    actor=SWEEP_ACTOR,
                    role="system",
                    data={"from": complaint.escalation.value, "to": target.value},
                )
                notices = escalation_notices(complaint, target, region, calendar, policy, now)
                try:
                    repo.save_change(complaint, after, event, notices)
                except StaleVersionError:
                    summary.skipped_changed += 1
                    continue
                if target is EscalationLevel.TAKEOVER:
                    summary.flagged_takeover += 1
                else:
                    summary.flagged_intervention += 1
    return summary


def escalation_notices(
    complaint: Complaint,
    level: EscalationLevel,
    region: Region,
    calendar: WorkingCalendar,
    policy: EscalationPolicy,
    now: datetime,
) -> tuple[OutboxMessage, ...]:
    """Who is told that a case escalated, queued with the flag and sent in office
    hours (a case flagged on a Saturday is told on Monday morning): the regional
    admins and the agency at intervention, the central admins at takeover."""
    if level is EscalationLevel.TAKEOVER:
        numbers = region.contacts.get("admin_pusat", ())
    else:
        agency = region.agency(complaint.agency) if complaint.agency else None
        numbers = region.contacts.get("admin_daerah", ()) + (agency.contacts if agency else ())
    if not numbers:
        return ()
    due = deadlines(complaint.clock_start_date, calendar, region.zone, policy).takeover_due.due
    text = staff_escalated(complaint.tracking_id, level.value, complaint.agency, due)
    opens = next_office_moment(now, calendar, region.zone)
    return to_staff(complaint, f"staff_{level.value}", numbers, text, now, opens)
