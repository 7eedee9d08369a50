"""The closure sweep: close the complaints whose wait ran out, as "closed without
reply" (resolved, no answer in 10 working days) or "withdrawn" (sent back, no
information in 30 days).

Like the escalation sweep it reads only the waits that ran out (a key query per
region and wait on a sparse index, cut off at the latest start date that is due)
and closes each with a conditional write, so a sweep run twice, or two at once,
closes a complaint once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime

from chalicelib.domain.calendar import WorkingCalendar
from chalicelib.domain.closure import ClosurePolicy, closure_due, info_cutoff, reply_cutoff
from chalicelib.domain.complaint import Closure, Event, Status
from chalicelib.domain.errors import StaleVersionError
from chalicelib.domain.queues import Timer
from chalicelib.domain.region import Region
from chalicelib.services.notices import to_duplicates, to_reporter
from chalicelib.storage.complaints import ComplaintRepository

SWEEP_ACTOR = "system:closure-sweep"

_WORDS = {
    Closure.NO_REPLY: "ditutup karena tidak ada tanggapan dalam 10 hari kerja",
    Closure.WITHDRAWN: "ditutup karena kelengkapan tidak diterima dalam 30 hari",
}


@dataclass
class ClosureSummary:
    now: str
    regions: int = 0
    cases_read: int = 0
    closed_without_reply: int = 0
    withdrawn: int = 0
    skipped_changed: int = 0  # changed by someone else between read and write
    cutoffs: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def sweep_closures(
    *,
    now: datetime,
    regions: Iterable[Region],
    repo: ComplaintRepository,
    calendar_for: Callable[[Region], WorkingCalendar],
    policy: ClosurePolicy,
) -> ClosureSummary:
    summary = ClosureSummary(now=now.isoformat())
    for region in regions:
        summary.regions += 1
        calendar = calendar_for(region)
        cutoffs = {
            Timer.REPLY: reply_cutoff(now, region.zone, calendar, policy),
            Timer.INFO: info_cutoff(now, region.zone, policy),
        }
        for timer, cutoff in cutoffs.items():
            summary.cutoffs[f"{region.code}#{timer.value}"] = cutoff.isoformat()
            for complaint in repo.waits_due(region.code, timer, cutoff):
                summary.cases_read += 1
                closure = closure_due(complaint, now, region.zone, calendar, policy)
                if closure is None:
                    continue
                after = complaint.changed(
                    now, status=Status.CLOSED, closure=closure, status_changed_at=now
                )
                event = Event(
                    type="closed",
                    at=now,
                    actor=SWEEP_ACTOR,
                    role="system",
                    data={"closure": closure.value},
                )

                def parts(tid: str, closure: Closure = closure) -> list[str]:
                    return [f"Aduan {tid} {_WORDS[closure]}."]

                notices = to_reporter(complaint, closure.value, parts(complaint.tracking_id), now)
                if closure is Closure.NO_REPLY:
                    duplicates = repo.duplicates_of(complaint.tracking_id)
                    notices += to_duplicates(complaint, duplicates, closure.value, parts, now)
                try:
                    repo.save_change(complaint, after, event, notices)
                except StaleVersionError:
                    summary.skipped_changed += 1
                    continue
                if closure is Closure.NO_REPLY:
                    summary.closed_without_reply += 1
                else:
                    summary.withdrawn += 1
    return summary
