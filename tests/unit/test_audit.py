"""The hash chain over a complaint's events: an edited, removed or appended-out-of-
band event is found, with the sequence number where the chain stops holding."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

from chalicelib.domain.audit import GENESIS, event_digest, verify_chain
from chalicelib.domain.complaint import Event

TID = "TGM-7K3QX"


def chain(n: int) -> list[Event]:
    """`n` events as the repository stores them: each linked to the one before."""
    events, previous = [], GENESIS
    start = datetime(2025, 3, 27, 2, 0, tzinfo=UTC)
    for seq in range(1, n + 1):
        e = Event(
            type="note",
            at=start + timedelta(hours=seq),
            actor="admin-1",
            role="admin_pusat",
            data={"text": f"catatan {seq}"},
            seq=seq,
        )
        digest = event_digest(TID, seq, e, previous)
        events.append(replace(e, previous=previous, hash=digest))
        previous = digest
    return events


def problems(check) -> list[tuple[int, str]]:
    return [(p.seq, p.problem) for p in check.problems]


def test_an_untouched_chain_verifies():
    events = chain(5)

    check = verify_chain(TID, events, events[-1].hash, version=5)

    assert check.verified
    assert check.events == 5
    assert check.problems == ()


def test_an_edited_event_is_found_where_it_was_edited():
    events = chain(5)
    events[2] = replace(events[2], data={"text": "catatan yang diubah"})

    check = verify_chain(TID, events, events[-1].hash, version=5)

    assert not check.verified
    assert problems(check) == [(3, "altered")]


def test_an_edit_that_also_recomputes_the_digest_breaks_the_next_link():
    events = chain(5)
    edited = replace(events[1], actor="someone-else")
    events[1] = replace(edited, hash=event_digest(TID, 2, edited, edited.previous))

    check = verify_chain(TID, events, events[-1].hash, version=5)

    assert problems(check) == [(3, "unlinked")]


def test_a_removed_event_in_the_middle_is_found():
    events = chain(5)
    del events[2]

    check = verify_chain(TID, events, events[-1].hash, version=5)

    assert not check.verified
    assert (3, "missing") in problems(check)
    assert (4, "unlinked") in problems(check)


def test_removing_the_last_events_is_found_from_the_complaint_head():
    events = chain(5)
    head = events[-1].hash

    check = verify_chain(TID, events[:3], head, version=5)

    assert problems(check) == [(4, "truncated")]


def test_the_head_alone_catches_a_removed_last_event_when_the_version_was_lowered():
    events = chain(5)

    check = verify_chain(TID, events[:4], events[-1].hash, version=4)

    assert problems(check) == [(5, "truncated")]


def test_the_instant_is_hashed_in_utc_so_the_zone_it_is_read_in_does_not_matter():
    events = chain(2)
    wib = timezone(timedelta(hours=7))
    events[0] = replace(events[0], at=events[0].at.astimezone(wib))

    assert verify_chain(TID, events, events[-1].hash, version=2).verified


def test_an_event_without_a_digest_is_reported_as_unchained():
    events = chain(2)
    events[0] = replace(events[0], hash=None, previous=None)

    check = verify_chain(TID, events, events[-1].hash, version=2)

    assert (1, "unchained") in problems(check)
    assert not check.verified


def test_a_digest_covers_the_tracking_id_so_events_cannot_move_between_complaints():
    events = chain(1)

    check = verify_chain("TGM-OTHER1", events, events[-1].hash, version=1)

    assert problems(check) == [(1, "altered")]
