"""Complaint states, escalation levels and the transitions between states.

The public state of a complaint (where it is in its life) is kept apart from its
escalation level (who else has been brought in because nobody followed it up).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum

from chalicelib.domain.errors import InvalidTransitionError


class Status(StrEnum):
    RECEIVED = "received"  # complete complaint on file, clock running, to be verified
    NEEDS_INFO = "needs_info"  # sent back to the reporter; the clock waits for the answer
    VERIFIED = "verified"  # accepted as a public-service complaint, to be routed
    QUARANTINED = "quarantined"  # spam: kept for review, no agency sees it
    ROUTED = "routed"  # disposisi: an agency is responsible
    FOLLOWED_UP = "followed_up"  # tindak lanjut given; the escalation clock stops
    RESOLVED = "resolved"  # the responsible party reports it solved; the reporter may reply
    DUPLICATE = "duplicate"  # follows its master complaint, never escalates on its own
    CLOSED = "closed"


class Closure(StrEnum):
    """Why a closed complaint is closed; "closed without reply" is never "resolved"."""

    RESOLVED = "resolved"  # the reporter confirmed the outcome
    NO_REPLY = "closed_without_reply"  # no reply within 10 working days of resolution
    WITHDRAWN = "withdrawn"  # sent back for information that never came
    REJECTED = "rejected"  # not a public-service complaint (reason recorded)
    BY_ADMIN = "closed_by_admin"  # an admin closed it, with a reason


class EscalationLevel(StrEnum):
    NONE = "none"
    INTERVENTION = "intervention"  # regional admin may step in (30 WD)
    TAKEOVER = "takeover"  # central admin holds the case (60 WD)

    @property
    def rank(self) -> int:
        return list(EscalationLevel).index(self)


TRANSITIONS: dict[Status, frozenset[Status]] = {
    # Verification: accept, send back, reject (closed) or quarantine. Routing a
    # received complaint accepts it; a case the central admin holds after takeover
    # may be followed up before any routing.
    Status.RECEIVED: frozenset(
        {
            Status.VERIFIED,
            Status.NEEDS_INFO,
            Status.QUARANTINED,
            Status.ROUTED,
            Status.FOLLOWED_UP,
            Status.DUPLICATE,
            Status.CLOSED,
        }
    ),
    # The reporter's answer brings it back to verification; no answer: withdrawn.
    Status.NEEDS_INFO: frozenset({Status.RECEIVED, Status.DUPLICATE, Status.CLOSED}),
    Status.VERIFIED: frozenset(
        {Status.ROUTED, Status.FOLLOWED_UP, Status.DUPLICATE, Status.CLOSED}
    ),
    # Released by a reviewer back to verification, or rejected for good.
    Status.QUARANTINED: frozenset({Status.RECEIVED, Status.CLOSED}),
    # A transfer keeps the case routed and its clock running; "not our authority"
    # sends it back to the central admin (verified, unrouted).
    Status.ROUTED: frozenset(
        {Status.ROUTED, Status.VERIFIED, Status.FOLLOWED_UP, Status.DUPLICATE}
    ),
    Status.FOLLOWED_UP: frozenset({Status.FOLLOWED_UP, Status.ROUTED, Status.RESOLVED}),
    # Confirmed, unanswered or closed by an admin; disputed: reopened to the agency.
    Status.RESOLVED: frozenset({Status.CLOSED, Status.ROUTED}),
    Status.DUPLICATE: frozenset(),
    Status.CLOSED: frozenset(),
}

OPEN_STATES = frozenset(
    {Status.RECEIVED, Status.NEEDS_INFO, Status.VERIFIED, Status.ROUTED, Status.FOLLOWED_UP}
)
# States in which the follow-up clock can run (until the first follow-up).
CLOCK_STATES = frozenset({Status.RECEIVED, Status.VERIFIED, Status.ROUTED, Status.FOLLOWED_UP})
# Awaiting the central admin: not yet verified, or verified and not yet routed.
TRIAGE_STATES = frozenset({Status.RECEIVED, Status.VERIFIED})


DESCRIPTION_LIMIT = 4000  # characters, on every channel
CLIPPED = " [...]"


def clip_description(text: str) -> str:
    """A description within the limit. Messages (SMS, tweets) are not refused for
    length: the complaint keeps the first part, marked as clipped, and the whole
    text stays in the stored inbound message."""
    if len(text) <= DESCRIPTION_LIMIT:
        return text
    return text[: DESCRIPTION_LIMIT - len(CLIPPED)].rstrip() + CLIPPED


def can_transition(current: Status, target: Status) -> bool:
    return target in TRANSITIONS[current]


def ensure_transition(current: Status, target: Status) -> None:
    if not can_transition(current, target):
        raise InvalidTransitionError(
            f"a complaint that is {current.value} cannot become {target.value}"
        )


def is_open(status: Status) -> bool:
    return status in OPEN_STATES


@dataclass(frozen=True)
class Reporter:
    """One name field, as written: many Indonesians have a single name."""

    name: str | None = None
    nik: str | None = None
    phone_raw: str | None = None  # as the reporter typed it
    phone: str | None = None  # canonical +62 form
    email: str | None = None


@dataclass(frozen=True)
class Complaint:
    tracking_id: str
    region: str
    channel: str
    status: Status
    escalation: EscalationLevel
    received_at: datetime
    clock_started_at: datetime
    clock_start_date: date  # local date of clock_started_at: day 0 of the count
    updated_at: datetime
    title: str
    description: str
    reporter: Reporter
    access_code_hash: str
    anonymous: bool = False
    confidential: bool = False
    # Filed from a message that named no region: under the default region, for the
    # central admin to check in triage.
    region_unknown: bool = False
    category: str | None = None
    location: str | None = None
    agency: str | None = None
    followed_up_at: datetime | None = None
    closure: Closure | None = None  # set when, and only when, the status is closed
    # When the status last changed: an update that happened before it never moves
    # the state (a late agency update is kept as a note).
    status_changed_at: datetime | None = None
    info_requested_at: datetime | None = None  # sent back to the reporter
    info_requested_on: date | None = None  # its local date: day 0 of the 30 days
    resolved_at: datetime | None = None
    resolved_on: date | None = None  # local date: day 0 of the reply window
    duplicate_of: str | None = None  # the master complaint's tracking ID
    declined_by: tuple[str, ...] = ()  # agencies that answered "not our authority"
    rating: int | None = None  # the reporter's 1-4 rating of the outcome
    version: int | None = None  # None until stored
    event_head: str | None = None  # digest of the last event (domain.audit), when stored

    @property
    def is_open(self) -> bool:
        return is_open(self.status)

    @property
    def clock_running(self) -> bool:
        """The follow-up clock runs from receipt (or from the reporter's missing
        information, or from a reopening) until the first follow-up."""
        return self.status in CLOCK_STATES and self.followed_up_at is None

    @property
    def state_since(self) -> datetime:
        return self.status_changed_at or self.received_at

    def changed(self, now: datetime, **changes: object) -> Complaint:
        return replace(self, updated_at=now, **changes)


@dataclass(frozen=True)
class Event:
    """An append-only record of one change: who, in which role, when, what, why."""

    type: str
    at: datetime
    actor: str
    role: str
    data: dict[str, object] = field(default_factory=dict)
    seq: int | None = None  # assigned when stored
    previous: str | None = None  # digest of the event before (domain.audit), when stored
    hash: str | None = None  # this event's digest, when stored
