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
    RECEIVED = "received"  # complete complaint on file, clock running
    ROUTED = "routed"  # disposisi: an agency is responsible
    FOLLOWED_UP = "followed_up"  # tindak lanjut given; the escalation clock stops
    RESOLVED = "resolved"  # the responsible party reports it solved
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
    # A case the central admin holds after takeover may be followed up before any routing.
    Status.RECEIVED: frozenset({Status.ROUTED, Status.FOLLOWED_UP, Status.CLOSED}),
    # Re-routing keeps the case routed (a transfer never restarts the clock).
    Status.ROUTED: frozenset({Status.ROUTED, Status.FOLLOWED_UP}),
    Status.FOLLOWED_UP: frozenset({Status.FOLLOWED_UP, Status.RESOLVED}),
    Status.RESOLVED: frozenset({Status.CLOSED}),
    Status.CLOSED: frozenset(),
}

OPEN_STATES = frozenset({Status.RECEIVED, Status.ROUTED, Status.FOLLOWED_UP})


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
    version: int | None = None  # None until stored

    @property
    def is_open(self) -> bool:
        return is_open(self.status)

    @property
    def clock_running(self) -> bool:
        """The follow-up clock runs from receipt until the first follow-up."""
        return self.is_open and self.followed_up_at is None

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
