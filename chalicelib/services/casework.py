"""What staff and reporters do with a complaint: verify, route, follow up, resolve,
reply, merge duplicates and close.

Every change is checked against the caller's rights and the transition table,
then written with its event, conditional on the version that was read (or the
version the caller says it read). The messages that tell the reporter, and the
reporters of its duplicates, go into the outbox in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from chalicelib.domain import access
from chalicelib.domain.access import Actor
from chalicelib.domain.calendar import WorkingCalendar, local_date
from chalicelib.domain.closure import DEFAULT_CLOSURE, ClosurePolicy, can_reply
from chalicelib.domain.complaint import (
    Closure,
    Complaint,
    EscalationLevel,
    Event,
    Status,
    ensure_transition,
)
from chalicelib.domain.errors import (
    ConflictError,
    NotAnonymousError,
    NotFoundError,
    PermissionDeniedError,
    StaleVersionError,
    SupersededUpdateError,
    ValidationError,
)
from chalicelib.domain.escalation import DEFAULT_POLICY as ESCALATION
from chalicelib.domain.escalation import deadlines
from chalicelib.domain.messages import staff_routed
from chalicelib.domain.office_hours import next_office_moment
from chalicelib.domain.outbox import OutboxMessage
from chalicelib.domain.region import Region
from chalicelib.services.notices import to_duplicates, to_reporter, to_staff
from chalicelib.storage.complaints import ComplaintRepository

REPORTER = "reporter"
# The words of a message about a change, for the tracking ID it is sent under.
Parts = Callable[[str], list[str]]


@dataclass(frozen=True)
class Casework:
    repo: ComplaintRepository
    region_of: Callable[[str], Region]
    calendar_for: Callable[[Region], WorkingCalendar] | None = None
    closure: ClosurePolicy = DEFAULT_CLOSURE

    # -- reading ------------------------------------------------------------

    def visible(self, tracking_id: str, actor: Actor) -> Complaint:
        """The complaint, if this actor may see it; otherwise as if absent."""
        complaint = self.repo.get(tracking_id)
        if complaint is None or not access.can_view(actor, complaint):
            raise NotFoundError(f"no complaint {tracking_id}")
        return complaint

    def master_of(self, complaint: Complaint) -> Complaint | None:
        """The master a duplicate follows, or None."""
        return self.repo.get(complaint.duplicate_of) if complaint.duplicate_of else None

    def _current(self, tracking_id: str, actor: Actor, expected_version: int | None) -> Complaint:
        """The complaint as the caller may see it, refused when it changed since the
        version the caller read."""
        complaint = self.visible(tracking_id, actor)
        if expected_version is not None and expected_version != complaint.version:
            raise StaleVersionError(
                f"the complaint is at version {complaint.version}, not {expected_version}; "
                "read it again",
                current_version=complaint.version,
            )
        return complaint

    # -- verification (central admin) ----------------------------------------

    def accept(
        self, tracking_id: str, note: str | None, actor: Actor, now: datetime, version=None
    ) -> Complaint:
        """A complete public-service complaint: it goes on to routing."""
        complaint = self._current(tracking_id, actor, version)
        _require(access.can_verify(actor, complaint), "only the central admin verifies")
        ensure_transition(complaint.status, Status.VERIFIED)
        after = complaint.changed(now, status=Status.VERIFIED, status_changed_at=now)
        return self._save(complaint, after, _event("verified", now, actor, note=note))

    def request_info(
        self, tracking_id: str, missing: str, actor: Actor, now: datetime, version=None
    ) -> Complaint:
        """Sent back to the reporter; the clock waits and restarts when the
        information arrives, and after 30 days without it the complaint is withdrawn."""
        complaint = self._current(tracking_id, actor, version)
        _require(access.can_verify(actor, complaint), "only the central admin verifies")
        ensure_transition(complaint.status, Status.NEEDS_INFO)
        zone = self.region_of(complaint.region).zone
        after = complaint.changed(
            now,
            status=Status.NEEDS_INFO,
            status_changed_at=now,
            info_requested_at=now,
            info_requested_on=local_date(now, zone),
        )
        parts = [
            f"Aduan {complaint.tracking_id} perlu dilengkapi: {missing[:100]}",
            "Balas dengan ID aduan dan keterangannya.",
        ]
        return self._save(
            complaint,
            after,
            _event("info_requested", now, actor, missing=missing),
            to_reporter(complaint, "info_requested", parts, now),
        )

    def reject(
        self, tracking_id: str, reason: str, actor: Actor, now: datetime, version=None
    ) -> Complaint:
        """Not a public-service complaint: closed as rejected, with the reason."""
        complaint = self._current(tracking_id, actor, version)
        _require(access.can_verify(actor, complaint), "only the central admin verifies")
        if complaint.status not in (Status.RECEIVED, Status.QUARANTINED):
            raise ConflictError(
                f"only a complaint awaiting verification can be rejected; it is "
                f"{complaint.status.value}"
            )
        after = complaint.changed(
            now, status=Status.CLOSED, closure=Closure.REJECTED, status_changed_at=now
        )
        parts = [f"Aduan {complaint.tracking_id} tidak dapat diproses: {reason[:100]}"]
        return self._save(
            complaint,
            after,
            _event("rejected", now, actor, reason=reason),
            to_reporter(complaint, "rejected", parts, now),
        )

    def quarantine(
        self, tracking_id: str, reason: str, actor: Actor, now: datetime, version=None
    ) -> Complaint:
        """Spam: held for review, never shown to an agency or the public, never
        deleted, and nobody is told."""
        complaint = self._current(tracking_id, actor, version)
        _require(access.can_verify(actor, complaint), "only the central admin verifies")
        ensure_transition(complaint.status, Status.QUARANTINED)
        after = complaint.changed(now, status=Status.QUARANTINED, status_changed_at=now)
        return self._save(complaint, after, _event("quarantined", now, actor, reason=reason))

    def release(
        self, tracking_id: str, reason: str, actor: Actor, now: datetime, version=None
    ) -> Complaint:
        """A reviewer finds it was no spam: back to verification. Its clock was
        never stopped, since it started at receipt of a complete complaint."""
        complaint = self._current(tracking_id, actor, version)
        _require(access.can_verify(actor, complaint), "only the central admin verifies")
        if complaint.status is not Status.QUARANTINED:
            raise ConflictError("only a quarantined complaint can be released")
        after = complaint.changed(now, status=Status.RECEIVED, status_changed_at=now)
        return self._save(complaint, after, _event("released", now, actor, reason=reason))

    # -- routing and follow-up ------------------------------------------------

    def route(
        self, tracking_id: str, agency_code: str, actor: Actor, now: datetime, version=None
    ) -> Complaint:
        complaint = self._current(tracking_id, actor, version)
        if not access.can_route(actor, complaint):
            raise PermissionDeniedError("only the central admin routes complaints")
        agency = self.region_of(complaint.region).agency(agency_code)
        if agency is None:
            raise ValidationError(f"no agency {agency_code!r} in this region", field="agency")
        if agency.code == complaint.agency and complaint.status is not Status.VERIFIED:
            raise ValidationError("the complaint is already routed to this agency", field="agency")
        ensure_transition(complaint.status, Status.ROUTED)
        # A transfer never restarts the follow-up clock: only agency and state change.
        after = complaint.changed(
            now, status=Status.ROUTED, agency=agency.code, status_changed_at=now
        )
        event = _event("routed", now, actor, agency=agency.code, previous_agency=complaint.agency)

        def parts(tid: str) -> list[str]:
            return [f"Aduan {tid} diteruskan ke {agency.name} untuk ditindaklanjuti."]

        notices = self._notices(complaint, "routed", parts, now)
        return self._save(complaint, after, event, notices + self._tell_agency(after, now))

    def decline(
        self,
        tracking_id: str,
        reason: str,
        actor: Actor,
        now: datetime,
        version=None,
        occurred_at: datetime | None = None,
    ) -> Complaint:
        """The agency answers "not our authority": back to the central admin for
        routing elsewhere. The case stays open and its clock keeps running."""
        complaint = self._current(tracking_id, actor, version)
        _require(
            access.is_responsible_agency(actor, complaint),
            "only the agency the complaint is routed to can decline it",
        )
        self._refuse_late(complaint, "declined", reason, occurred_at, actor, now)
        if complaint.status is not Status.ROUTED:
            raise ConflictError("only a routed complaint not yet followed up can be declined")
        ensure_transition(complaint.status, Status.VERIFIED)
        after = complaint.changed(
            now,
            status=Status.VERIFIED,
            agency=None,
            declined_by=(*complaint.declined_by, complaint.agency or ""),
            status_changed_at=now,
        )
        event = _event("declined", now, actor, agency=complaint.agency, reason=reason)
        return self._save(complaint, after, event)

    def follow_up(
        self,
        tracking_id: str,
        text: str,
        actor: Actor,
        now: datetime,
        version=None,
        occurred_at: datetime | None = None,
    ) -> Complaint:
        complaint = self._current(tracking_id, actor, version)
        if not access.can_follow_up(actor, complaint):
            raise PermissionDeniedError("only the party responsible for this case may follow it up")
        self._refuse_late(complaint, "followed_up", text, occurred_at, actor, now)
        ensure_transition(complaint.status, Status.FOLLOWED_UP)
        # The first follow-up by the responsible party stops the escalation clock.
        after = complaint.changed(
            now,
            status=Status.FOLLOWED_UP,
            followed_up_at=complaint.followed_up_at or now,
            status_changed_at=now,
        )
        event = _event("followed_up", now, actor, text=text)

        def parts(tid: str) -> list[str]:
            return [f"Aduan {tid} sudah ditindaklanjuti.", f"Isi: {text[:140]}"]

        return self._save(
            complaint, after, event, self._notices(complaint, "followed_up", parts, now)
        )

    def resolve(
        self,
        tracking_id: str,
        outcome: str,
        actor: Actor,
        now: datetime,
        version=None,
        occurred_at: datetime | None = None,
    ) -> Complaint:
        """The responsible party reports the outcome; the reporter has 10 working
        days to confirm, dispute or add to it."""
        complaint = self._current(tracking_id, actor, version)
        if not access.can_follow_up(actor, complaint):
            raise PermissionDeniedError("only the party responsible for this case may resolve it")
        self._refuse_late(complaint, "resolved", outcome, occurred_at, actor, now)
        ensure_transition(complaint.status, Status.RESOLVED)
        zone = self.region_of(complaint.region).zone
        after = complaint.changed(
            now,
            status=Status.RESOLVED,
            status_changed_at=now,
            resolved_at=now,
            resolved_on=local_date(now, zone),
        )

        def parts(tid: str) -> list[str]:
            return [
                f"Aduan {tid} selesai: {outcome[:100]}",
                f"Balas {tid} SETUJU atau {tid} SANGGAH dalam 10 hari kerja.",
            ]

        event = _event("resolved", now, actor, outcome=outcome)
        return self._save(complaint, after, event, self._notices(complaint, "resolved", parts, now))

    def close(
        self, tracking_id: str, reason: str, actor: Actor, now: datetime, version=None
    ) -> Complaint:
        complaint = self._current(tracking_id, actor, version)
        if not access.can_close(actor, complaint):
            raise PermissionDeniedError("only an admin closes complaints")
        ensure_transition(complaint.status, Status.CLOSED)
        after = complaint.changed(
            now, status=Status.CLOSED, closure=Closure.BY_ADMIN, status_changed_at=now
        )
        event = _event("closed", now, actor, reason=reason)

        def parts(tid: str) -> list[str]:
            return [f"Aduan {tid} ditutup oleh admin."]

        return self._save(complaint, after, event, self._notices(complaint, "closed", parts, now))

    def add_note(
        self, tracking_id: str, text: str, actor: Actor, now: datetime, version=None
    ) -> Complaint:
        """A note on the record (e.g. a regional admin at intervention); it changes
        no state and tells nobody."""
        complaint = self._current(tracking_id, actor, version)
        return self._save(complaint, complaint.changed(now), _event("note", now, actor, text=text))

    def reveal_reporter(
        self, tracking_id: str, reason: str, actor: Actor, now: datetime, version=None
    ) -> Complaint:
        """An admin unmasks an anonymous reporter. The reveal is an event with who
        and why, written before the identity is shown; it changes no state and
        tells nobody."""
        complaint = self._current(tracking_id, actor, version)
        _require(
            access.can_reveal_reporter(actor, complaint),
            "only an admin of the complaint's region may reveal its reporter",
        )
        if not complaint.anonymous:
            raise NotAnonymousError("the reporter is not anonymous; the staff view shows them")
        event = _event("reporter_revealed", now, actor, reason=reason)
        return self._save(complaint, complaint.changed(now), event)

    def audit_trail(self, tracking_id: str, actor: Actor) -> tuple[Complaint, list[Event]]:
        """The complaint and its events in order, for whoever may see the complaint."""
        complaint = self.visible(tracking_id, actor)
        return complaint, self.repo.events(tracking_id)

    def mark_duplicate(
        self, tracking_id: str, master_id: str, actor: Actor, now: datetime, version=None
    ) -> Complaint:
        """`tracking_id` reports the same problem as `master_id`: from now on it
        follows the master and never escalates on its own."""
        complaint = self._current(tracking_id, actor, version)
        _require(access.can_close(actor, complaint), "only an admin marks duplicates")
        master = self.repo.get(master_id)
        if master is None or not access.can_view(actor, master):
            raise ValidationError(f"no complaint {master_id}", field="master")
        if master.tracking_id == complaint.tracking_id:
            raise ValidationError("a complaint cannot duplicate itself", field="master")
        if master.region != complaint.region:
            raise ValidationError("the master is in another region", field="master")
        if master.status is Status.DUPLICATE:
            raise ValidationError(
                f"{master.tracking_id} is itself a duplicate of {master.duplicate_of}; "
                "name that one",
                field="master",
            )
        if self.repo.duplicates_of(complaint.tracking_id):
            raise ConflictError(
                f"{complaint.tracking_id} is the master of other complaints; mark those first"
            )
        ensure_transition(complaint.status, Status.DUPLICATE)
        after = complaint.changed(
            now, status=Status.DUPLICATE, duplicate_of=master.tracking_id, status_changed_at=now
        )
        parts = [
            f"Aduan {complaint.tracking_id} digabung dengan aduan {master.tracking_id} "
            "tentang masalah yang sama.",
            "Perkembangannya akan dikabarkan.",
        ]
        event = _event("marked_duplicate", now, actor, master=master.tracking_id)
        return self._save(
            complaint, after, event, to_reporter(complaint, "marked_duplicate", parts, now)
        )

    # -- the reporter ---------------------------------------------------------

    def reporter_reply(
        self,
        complaint: Complaint,
        kind: str,
        text: str | None,
        now: datetime,
        version=None,
        cause: str | None = None,
    ) -> Complaint:
        """The reporter answers: `confirm` a resolution (closed, resolved), `dispute`
        it (reopened to the same agency with a new follow-up clock), or add
        `information` (which, when the complaint was sent back for it, restarts the
        clock and returns it to verification)."""
        if version is not None and version != complaint.version:
            raise StaleVersionError(
                f"the complaint is at version {complaint.version}; read it again",
                current_version=complaint.version,
            )
        region = self.region_of(complaint.region)
        if kind == "information":
            return self._information(complaint, text or "", region, now, cause)
        if complaint.status is not Status.RESOLVED:
            raise ConflictError(
                f"only a resolved complaint can be confirmed or disputed; it is "
                f"{complaint.status.value}"
            )
        calendar = self._calendar(region)
        if not can_reply(complaint, now, region.zone, calendar, self.closure):
            raise ConflictError("the 10 working days to answer this resolution are over")
        if kind == "confirm":
            after = complaint.changed(
                now, status=Status.CLOSED, closure=Closure.RESOLVED, status_changed_at=now
            )
            event = _reporter_event("confirmed", now, text=text, inbound=cause)
            notices = self._duplicate_notices(
                complaint, "confirmed", lambda tid: [f"Aduan {tid} selesai dan ditutup."], now
            )
            return self._save(complaint, after, event, notices)
        # Disputed: back to the agency that resolved it, with a new clock from now.
        status = Status.ROUTED if complaint.agency else Status.VERIFIED
        ensure_transition(complaint.status, status)
        after = complaint.changed(
            now,
            status=status,
            status_changed_at=now,
            escalation=EscalationLevel.NONE,
            clock_started_at=now,
            clock_start_date=local_date(now, region.zone),
            followed_up_at=None,
            resolved_at=None,
            resolved_on=None,
        )
        event = _reporter_event("disputed", now, text=text, agency=complaint.agency, inbound=cause)
        return self._save(complaint, after, event)

    def _information(
        self, complaint: Complaint, text: str, region: Region, now: datetime, cause: str | None
    ) -> Complaint:
        if complaint.status is Status.CLOSED:
            raise ConflictError("the complaint is closed; file a new one")
        if complaint.status is not Status.NEEDS_INFO:
            event = _reporter_event("reporter_information", now, text=text, inbound=cause)
            return self._save(complaint, complaint.changed(now), event)
        # The missing information arrived: the clock starts again from now.
        ensure_transition(complaint.status, Status.RECEIVED)
        after = complaint.changed(
            now,
            status=Status.RECEIVED,
            status_changed_at=now,
            escalation=EscalationLevel.NONE,
            clock_started_at=now,
            clock_start_date=local_date(now, region.zone),
            info_requested_at=None,
            info_requested_on=None,
        )
        event = _reporter_event("info_supplied", now, text=text, inbound=cause)
        return self._save(complaint, after, event)

    def rate(
        self, complaint: Complaint, rating: int, comment: str | None, now: datetime
    ) -> Complaint:
        """The reporter rates the outcome (1-4) once, after it was resolved."""
        rated = complaint.status is Status.RESOLVED or complaint.closure in (
            Closure.RESOLVED,
            Closure.NO_REPLY,
        )
        if not rated:
            raise ConflictError("only a resolved complaint can be rated")
        if complaint.rating is not None:
            raise ConflictError(f"this complaint was already rated {complaint.rating}")
        after = complaint.changed(now, rating=rating)
        event = _reporter_event("rated", now, rating=rating, comment=comment)
        return self._save(complaint, after, event)

    # -- writing ----------------------------------------------------------------

    def _refuse_late(
        self,
        complaint: Complaint,
        update: str,
        text: str,
        occurred_at: datetime | None,
        actor: Actor,
        now: datetime,
    ) -> None:
        """An update made before the complaint's current state (an app that synced
        late) never moves the state back: it is kept as a note, and refused."""
        if occurred_at is None:
            return
        if occurred_at > now:
            raise ValidationError("occurred_at is in the future", field="occurred_at")
        if occurred_at >= complaint.state_since:
            return
        event = _event(
            "late_update", now, actor, update=update, text=text, occurred_at=occurred_at.isoformat()
        )
        kept = self._save(complaint, complaint.changed(now), event)
        raise SupersededUpdateError(
            f"this update was made at {occurred_at.isoformat()}, before the complaint became "
            f"{complaint.status.value}; it is kept as a note and the state is unchanged",
            field="occurred_at",
            current_version=kept.version,
            current_status=kept.status.value,
        )

    def _calendar(self, region: Region) -> WorkingCalendar:
        if self.calendar_for is None:
            raise RuntimeError("casework needs the calendar to judge reply windows")
        return self.calendar_for(region)

    def _tell_agency(self, routed: Complaint, now: datetime) -> tuple[OutboxMessage, ...]:
        """An SMS to the officers of the agency `routed` now goes to, in office
        hours, with the follow-up deadline as it stands; nothing about the reporter."""
        region = self.region_of(routed.region)
        agency = region.agency(routed.agency or "")
        if agency is None or not agency.contacts:
            return ()
        calendar = self._calendar(region)
        due = deadlines(routed.clock_start_date, calendar, region.zone, ESCALATION).follow_up_due
        subject = region.category_name(routed.category) if routed.category else "tanpa kategori"
        text = staff_routed(routed.tracking_id, subject, agency.code, due.due)
        opens = next_office_moment(now, calendar, region.zone)
        return to_staff(routed, "staff_routed", agency.contacts, text, now, opens)

    def _notices(
        self, complaint: Complaint, purpose: str, parts: Parts, now: datetime
    ) -> tuple[OutboxMessage, ...]:
        """The reporter's message and, for a master, its duplicates' reporters'."""
        own = to_reporter(complaint, purpose, parts(complaint.tracking_id), now)
        return own + self._duplicate_notices(complaint, purpose, parts, now)

    def _duplicate_notices(
        self, complaint: Complaint, purpose: str, parts: Parts, now: datetime
    ) -> tuple[OutboxMessage, ...]:
        duplicates = self.repo.duplicates_of(complaint.tracking_id)
        return to_duplicates(complaint, duplicates, purpose, parts, now)

    def _save(
        self,
        before: Complaint,
        after: Complaint,
        event: Event,
        notices: Sequence[OutboxMessage] = (),
    ) -> Complaint:
        try:
            return self.repo.save_change(before, after, event, notices)
        except StaleVersionError:
            current = self.repo.get(before.tracking_id)
            raise StaleVersionError(
                "the complaint was changed by someone else; read it again",
                current_version=current.version if current else None,
            ) from None


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDeniedError(message)


def _event(kind: str, now: datetime, actor: Actor, **data: object) -> Event:
    return Event(
        type=kind,
        at=now,
        actor=actor.subject,
        role=actor.role.value,
        data={k: v for k, v in data.items() if v is not None},
    )


def _reporter_event(kind: str, now: datetime, **data: object) -> Event:
    return Event(
        type=kind,
        at=now,
        actor=REPORTER,
        role=REPORTER,
        data={k: v for k, v in data.items() if v is not None},
    )
