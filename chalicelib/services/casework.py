"""What staff do with a complaint: route it, follow it up, resolve and close it.

Every change is checked against the caller's rights and the transition table,
then written with its event, conditional on the version that was read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from chalicelib.domain import access
from chalicelib.domain.access import Actor
from chalicelib.domain.complaint import Closure, Complaint, Event, Status, ensure_transition
from chalicelib.domain.errors import NotFoundError, PermissionDeniedError, ValidationError
from chalicelib.domain.region import Region
from chalicelib.services.notices import to_reporter
from chalicelib.storage.complaints import ComplaintRepository


@dataclass(frozen=True)
class Casework:
    repo: ComplaintRepository
    region_of: Callable[[str], Region]

    def visible(self, tracking_id: str, actor: Actor) -> Complaint:
        """The complaint, if this actor may see it; otherwise as if absent."""
        complaint = self.repo.get(tracking_id)
        if complaint is None or not access.can_view(actor, complaint):
            raise NotFoundError(f"no complaint {tracking_id}")
        return complaint

    def route(self, tracking_id: str, agency_code: str, actor: Actor, now: datetime) -> Complaint:
        complaint = self.visible(tracking_id, actor)
        if not access.can_route(actor, complaint):
            raise PermissionDeniedError("only the central admin routes complaints")
        agency = self.region_of(complaint.region).agency(agency_code)
        if agency is None:
            raise ValidationError(f"no agency {agency_code!r} in this region", field="agency")
        if agency.code == complaint.agency:
            raise ValidationError("the complaint is already routed to this agency", field="agency")
        ensure_transition(complaint.status, Status.ROUTED)
        # A transfer never restarts the follow-up clock: only agency and state change.
        after = complaint.changed(now, status=Status.ROUTED, agency=agency.code)
        event = _event("routed", now, actor, agency=agency.code, previous_agency=complaint.agency)
        notices = to_reporter(
            complaint,
            "routed",
            [f"Aduan {complaint.tracking_id} diteruskan ke {agency.name} untuk ditindaklanjuti."],
            now,
        )
        return self.repo.save_change(complaint, after, event, notices)

    def follow_up(self, tracking_id: str, text: str, actor: Actor, now: datetime) -> Complaint:
        complaint = self.visible(tracking_id, actor)
        if not access.can_follow_up(actor, complaint):
            raise PermissionDeniedError("only the party responsible for this case may follow it up")
        ensure_transition(complaint.status, Status.FOLLOWED_UP)
        # The first follow-up by the responsible party stops the escalation clock.
        after = complaint.changed(
            now, status=Status.FOLLOWED_UP, followed_up_at=complaint.followed_up_at or now
        )
        event = _event("followed_up", now, actor, text=text)
        notices = to_reporter(
            complaint,
            "followed_up",
            [f"Aduan {complaint.tracking_id} sudah ditindaklanjuti.", f"Isi: {text[:140]}"],
            now,
        )
        return self.repo.save_change(complaint, after, event, notices)

    def resolve(self, tracking_id: str, outcome: str, actor: Actor, now: datetime) -> Complaint:
        complaint = self.visible(tracking_id, actor)
        if not access.can_follow_up(actor, complaint):
            raise PermissionDeniedError("only the party responsible for this case may resolve it")
        ensure_transition(complaint.status, Status.RESOLVED)
        after = complaint.changed(now, status=Status.RESOLVED)
        return self.repo.save_change(
            complaint, after, _event("resolved", now, actor, outcome=outcome)
        )

    def close(self, tracking_id: str, reason: str, actor: Actor, now: datetime) -> Complaint:
        complaint = self.visible(tracking_id, actor)
        if not access.can_close(actor, complaint):
            raise PermissionDeniedError("only an admin closes complaints")
        ensure_transition(complaint.status, Status.CLOSED)
        after = complaint.changed(now, status=Status.CLOSED, closure=Closure.BY_ADMIN)
        return self.repo.save_change(complaint, after, _event("closed", now, actor, reason=reason))


def _event(kind: str, now: datetime, actor: Actor, **data: object) -> Event:
    return Event(
        type=kind,
        at=now,
        actor=actor.subject,
        role=actor.role.value,
        data={k: v for k, v in data.items() if v is not None},
    )
