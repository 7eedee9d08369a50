"""What each audience sees of a complaint. Deadlines are computed when shown, so
they always follow the calendar in force."""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from chalicelib.domain.access import Actor, sees_reporter
from chalicelib.domain.audit import PROBLEMS, verify_chain
from chalicelib.domain.calendar import (
    Holiday,
    HolidayChange,
    HolidayOrigin,
    WorkingCalendar,
    local_date,
)
from chalicelib.domain.closure import DEFAULT_CLOSURE, reply_due
from chalicelib.domain.complaint import Complaint, Event, Status
from chalicelib.domain.escalation import EscalationPolicy, deadlines
from chalicelib.domain.inbound import InboundMessage
from chalicelib.domain.queues import Queue, queue_block
from chalicelib.domain.region import Region

# Events for staff only: a note among staff, who revealed an anonymous reporter and
# why, and an agency update kept after it was overtaken.
INTERNAL_EVENTS = frozenset({"note", "reporter_revealed", "late_update"})


def instant(value: datetime | None, zone: tzinfo) -> str | None:
    """An instant in the region's local offset, e.g. 2025-03-27T09:00:00+07:00."""
    return value.astimezone(zone).isoformat(timespec="seconds") if value else None


def deadlines_view(
    c: Complaint, region: Region, calendar: WorkingCalendar, policy: EscalationPolicy
) -> dict:
    d = deadlines(c.clock_start_date, calendar, region.zone, policy)
    return {
        "clock_started_on": c.clock_start_date.isoformat(),
        "follow_up_due": d.follow_up_due.due.isoformat(),
        "follow_up_overdue_from": instant(d.follow_up_due.overdue_from, region.zone),
        "takeover_due": d.takeover_due.due.isoformat(),
        "takeover_overdue_from": instant(d.takeover_due.overdue_from, region.zone),
        "provisional": d.provisional,
        "clock_stopped_at": instant(c.followed_up_at, region.zone),
    }


def _agency(c: Complaint, region: Region) -> dict | None:
    if not c.agency:
        return None
    agency = region.agency(c.agency)
    return {"code": c.agency, "name": agency.name if agency else c.agency}


def _follows(master: Complaint | None, region: Region) -> dict | None:
    """The master a duplicate follows: its state is the duplicate's state."""
    if master is None:
        return None
    return {
        "tracking_id": master.tracking_id,
        "status": master.status.value,
        "closure": master.closure.value if master.closure else None,
        "escalation": master.escalation.value,
        "agency": _agency(master, region),
    }


def _reply_due(c: Complaint, calendar: WorkingCalendar) -> str | None:
    if c.status is not Status.RESOLVED or c.resolved_on is None:
        return None
    return reply_due(c.resolved_on, calendar, DEFAULT_CLOSURE).isoformat()


def public_view(
    c: Complaint,
    region: Region,
    calendar: WorkingCalendar,
    policy: EscalationPolicy,
    master: Complaint | None = None,
) -> dict:
    """What the tracking ID alone shows: no personal data. A duplicate shows the
    state of the master it follows."""
    zone = region.zone
    return {
        "tracking_id": c.tracking_id,
        "region": c.region,
        "status": c.status.value,
        "closure": c.closure.value if c.closure else None,
        "escalation": c.escalation.value,
        "title": c.title,
        "description": c.description,
        "category": c.category,
        "location": c.location,
        "agency": _agency(c, region),
        "received_at": instant(c.received_at, zone),
        "updated_at": instant(c.updated_at, zone),
        "deadlines": deadlines_view(c, region, calendar, policy),
        "reply_due": _reply_due(c, calendar),
        "duplicate_of": c.duplicate_of,
        "follows": _follows(master, region),
        "rating": c.rating,
    }


def _reporter(c: Complaint) -> dict:
    r = c.reporter
    return {
        "name": r.name,
        "nik": r.nik,
        "phone": r.phone,
        "phone_raw": r.phone_raw,
        "email": r.email,
    }


def _history(events: list[Event], zone: tzinfo, *, with_actors: bool) -> list[dict]:
    shown = []
    for e in events:
        entry = {"seq": e.seq, "type": e.type, "at": instant(e.at, zone), "data": e.data}
        if with_actors:
            entry |= {"actor": e.actor, "role": e.role}
        shown.append(entry)
    return shown


def reporter_view(
    c: Complaint,
    events: list[Event],
    region: Region,
    calendar: WorkingCalendar,
    policy: EscalationPolicy,
    master: Complaint | None = None,
) -> dict:
    """The reporter's own full view, unlocked by the access code. Staff-internal
    events (notes, reveals, late agency updates) are the service's, not theirs."""
    shown = [e for e in events if e.type not in INTERNAL_EVENTS]
    return public_view(c, region, calendar, policy, master) | {
        "anonymous": c.anonymous,
        "confidential": c.confidential,
        "reporter": _reporter(c),
        "history": _history(shown, region.zone, with_actors=False),
    }


def staff_view(
    c: Complaint,
    events: list[Event] | None,
    actor: Actor,
    region: Region,
    calendar: WorkingCalendar,
    policy: EscalationPolicy,
    master: Complaint | None = None,
) -> dict:
    """Everything staff need; an anonymous reporter is masked for agencies."""
    view = public_view(c, region, calendar, policy, master) | {
        "channel": c.channel,
        "version": c.version,
        "anonymous": c.anonymous,
        "confidential": c.confidential,
        "region_unknown": c.region_unknown,
        "declined_by": list(c.declined_by),
        "reporter": _reporter(c) if sees_reporter(actor, c) else None,
    }
    if events is not None:
        view["events"] = _history(events, region.zone, with_actors=True)
    return view


def audit_view(c: Complaint, events: list[Event], region: Region) -> dict:
    """A complaint's events with their digests, and whether the chain holds."""
    check = verify_chain(c.tracking_id, events, c.event_head, c.version)
    shown = _history(events, region.zone, with_actors=True)
    return {
        "tracking_id": c.tracking_id,
        "version": c.version,
        "events": [
            entry | {"previous": e.previous, "hash": e.hash}
            for entry, e in zip(shown, events, strict=True)
        ],
        "chain": {
            "verified": check.verified,
            "events": check.events,
            "head": check.head,
            "problems": [
                {"seq": p.seq, "problem": p.problem, "message": PROBLEMS[p.problem]}
                for p in check.problems
            ],
        },
    }


def revealed_view(c: Complaint, region: Region, revealed_by: str, at: datetime) -> dict:
    """An anonymous reporter's identity, shown to the admin who revealed it; the
    reveal is the complaint's latest event."""
    return {
        "tracking_id": c.tracking_id,
        "reporter": _reporter(c),
        "revealed_by": revealed_by,
        "revealed_at": instant(at, region.zone),
        "event": c.version,
        "version": c.version,
    }


def queue_view(
    queue: Queue,
    c: Complaint,
    region: Region,
    calendar: WorkingCalendar,
    policy: EscalationPolicy,
    now: datetime,
) -> dict:
    """The deadline block of a queue item, on the region's local date of `now`."""
    block = queue_block(queue, c, local_date(now, region.zone), region.zone, calendar, policy)
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in block.items()}


def inbound_view(m: InboundMessage, sender_hidden: bool = False) -> dict:
    """An inbound message as received, for admins. It carries the sender's number,
    except where the message is linked to an anonymous complaint (a reply, a CEK):
    the number would name its reporter without a recorded reveal."""
    view = {
        "id": m.key,
        "channel": m.channel,
        "source": m.source,
        "gateway_message_id": m.gateway_message_id,
        "sender": m.sender.raw,
        "sender_canonical": m.sender.canonical,
        "sender_ambiguous": m.sender.ambiguous,
        "destination": m.destination,
        "body": m.body,
        "received_at": m.received_at.isoformat(timespec="seconds"),
        "outcome": m.outcome.value,
        "tracking_id": m.tracking_id,
        "detail": m.detail,
        "duplicate_of": m.duplicate_of,
        "deliveries": m.deliveries,
        "sender_hidden": sender_hidden,
    }
    if sender_hidden:
        view |= {"sender": None, "sender_canonical": None, "sender_ambiguous": None}
    return view


def change_view(change: HolidayChange, zone: tzinfo) -> dict:
    """An admin change of the calendar: what, where, who, when, why."""
    return {
        "date": change.day.isoformat(),
        "change": change.change.value,
        "scope": change.scope,
        "kind": change.kind.value,
        "name": change.name,
        "reason": change.reason,
        "changed_by": change.actor,
        "role": change.role,
        "changed_at": instant(change.at, zone),
        "version": change.version,
    }


def _day_source(holiday: Holiday, zone: tzinfo) -> dict:
    """Where a day off comes from, with what a reader needs to check it."""
    if holiday.change is not None:
        change = change_view(holiday.change, zone)
        shown = ("scope", "changed_by", "role", "changed_at", "reason")
        return {"source": HolidayOrigin.ADMIN.value, "details": {k: change[k] for k in shown}}
    if holiday.origin is HolidayOrigin.OFFICIAL:
        return {"source": holiday.origin.value, "details": {"url": holiday.source}}
    return {"source": holiday.origin.value, "details": {"library": holiday.source}}


def _day(holiday: Holiday, zone: tzinfo) -> dict:
    return {
        "date": holiday.day.isoformat(),
        "weekday": holiday.day.strftime("%A"),
        "name": holiday.name,
        "kind": holiday.kind.value,
    } | _day_source(holiday, zone)


def calendar_view(region: Region, year: int, calendar: WorkingCalendar) -> dict:
    """A region's working calendar in force for a year: each day off with its
    source, the official days an admin made working days again, and the count of
    working days."""
    zone = region.zone
    days = calendar.year(year)
    return {
        "region": region.code,
        "year": year,
        "timezone": region.timezone,
        "provisional": days.provisional,
        "working_days": calendar.working_days_in(year),
        "days_off": [_day(days.holidays[d], zone) for d in sorted(days.holidays)],
        "cancelled": [
            _day(days.cancelled[d].holiday, zone)
            | {"cancelled_by": change_view(days.cancelled[d].change, zone)}
            for d in sorted(days.cancelled)
        ],
    }
