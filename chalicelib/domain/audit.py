"""The hash chain over a complaint's events.

Each event carries the digest of the event before it (`previous`) and its own
digest (`hash`), computed over a canonical JSON form of the complaint's tracking
ID, the event's sequence number, type, instant, actor, role, data and `previous`.
The complaint keeps the digest of its last event (its head), written in the same
conditional transaction as the event. Editing an event breaks its digest,
removing one leaves a gap in the sequence and a link that points nowhere, and
removing the last ones leaves the head pointing past the end: each is reported
with the sequence number where the chain stops holding.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC

from chalicelib.domain.complaint import Event

GENESIS = "0" * 64  # the `previous` of a complaint's first event


def canonical_event(tracking_id: str, seq: int, event: Event, previous: str) -> bytes:
    """The bytes an event's digest covers. Instants in UTC with microseconds, as
    stored; keys sorted; no insignificant whitespace."""
    return json.dumps(
        {
            "tracking_id": tracking_id,
            "seq": seq,
            "type": event.type,
            "at": event.at.astimezone(UTC).isoformat(timespec="microseconds"),
            "actor": event.actor,
            "role": event.role,
            "data": event.data or {},
            "previous": previous,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode("utf-8")


def event_digest(tracking_id: str, seq: int, event: Event, previous: str) -> str:
    return hashlib.sha256(canonical_event(tracking_id, seq, event, previous)).hexdigest()


@dataclass(frozen=True)
class ChainProblem:
    seq: int  # the first sequence number at which the chain does not hold
    problem: str  # altered, missing, unlinked, unchained, truncated


@dataclass(frozen=True)
class ChainCheck:
    verified: bool
    events: int
    head: str | None  # the digest the complaint holds for its last event
    problems: tuple[ChainProblem, ...] = ()


def verify_chain(
    tracking_id: str, events: Sequence[Event], head: str | None, version: int | None
) -> ChainCheck:
    """Check `events` (in sequence order) against each other and against the
    complaint's `head` digest and `version` (the sequence number of its last event)."""
    problems: list[ChainProblem] = []
    expected_previous = GENESIS
    expected_seq = 1
    for event in events:
        seq = event.seq if event.seq is not None else expected_seq
        if event.hash is None:
            problems.append(ChainProblem(seq, "unchained"))
            expected_seq = seq + 1
            continue
        if seq != expected_seq:
            problems.append(ChainProblem(expected_seq, "missing"))
        if event.previous != expected_previous:
            problems.append(ChainProblem(seq, "unlinked"))
        if event_digest(tracking_id, seq, event, event.previous or "") != event.hash:
            problems.append(ChainProblem(seq, "altered"))
        expected_previous = event.hash
        expected_seq = seq + 1
    short = version is not None and expected_seq <= version
    if short or (head is not None and head != expected_previous):
        problems.append(ChainProblem(expected_seq, "truncated"))
    return ChainCheck(not problems, len(events), head, tuple(problems))


PROBLEMS = {
    "altered": "the event is not what was recorded",
    "missing": "an event before this one was removed",
    "unlinked": "the event does not follow the one recorded before it",
    "unchained": "the event was recorded without a digest",
    "truncated": "the last events were removed",
}
