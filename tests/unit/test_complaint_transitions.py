"""Complaint states move only along the transition table."""

from itertools import product

import pytest

from chalicelib.domain.complaint import (
    TRANSITIONS,
    Status,
    can_transition,
    ensure_transition,
    is_open,
)
from chalicelib.domain.errors import ConflictError, InvalidTransitionError
from tests.unit.builders import complaint, followed_up, routed, wib

ALL_PAIRS = list(product(Status, Status))


def test_the_table_names_every_state():
    assert set(TRANSITIONS) == set(Status)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (Status.RECEIVED, Status.ROUTED),
        (Status.ROUTED, Status.FOLLOWED_UP),
        (Status.FOLLOWED_UP, Status.RESOLVED),
        (Status.RESOLVED, Status.CLOSED),
    ],
)
def test_the_ordinary_life_of_a_complaint_is_allowed(current, target):
    ensure_transition(current, target)


def test_re_routing_keeps_a_complaint_routed():
    assert can_transition(Status.ROUTED, Status.ROUTED)


def test_a_further_follow_up_keeps_a_complaint_followed_up():
    assert can_transition(Status.FOLLOWED_UP, Status.FOLLOWED_UP)


@pytest.mark.parametrize("target", list(Status))
def test_a_closed_complaint_never_changes_state(target):
    with pytest.raises(InvalidTransitionError):
        ensure_transition(Status.CLOSED, target)


@pytest.mark.parametrize(
    "current", [s for s in Status if s not in {Status.NEEDS_INFO, Status.QUARANTINED}]
)
def test_no_complaint_goes_back_to_received_after_verification(current):
    assert not can_transition(current, Status.RECEIVED)


def test_the_missing_information_brings_a_complaint_back_to_verification():
    assert can_transition(Status.NEEDS_INFO, Status.RECEIVED)


def test_a_complaint_released_from_quarantine_goes_back_to_verification():
    assert can_transition(Status.QUARANTINED, Status.RECEIVED)


def test_a_disputed_resolution_reopens_the_complaint_to_an_agency():
    assert can_transition(Status.RESOLVED, Status.ROUTED)


def test_an_agency_that_is_not_competent_sends_the_complaint_back_to_routing():
    assert can_transition(Status.ROUTED, Status.VERIFIED)


@pytest.mark.parametrize("target", list(Status))
def test_a_duplicate_never_changes_state_on_its_own(target):
    assert not can_transition(Status.DUPLICATE, target)


@pytest.mark.parametrize("target", [Status.ROUTED, Status.FOLLOWED_UP, Status.VERIFIED])
def test_a_quarantined_complaint_reaches_no_agency_without_verification(target):
    assert not can_transition(Status.QUARANTINED, target)


def test_a_resolved_complaint_cannot_be_reopened_as_followed_up():
    assert not can_transition(Status.RESOLVED, Status.FOLLOWED_UP)


@pytest.mark.parametrize(("current", "target"), ALL_PAIRS)
def test_ensure_transition_follows_the_table_for_every_pair_of_states(current, target):
    if target in TRANSITIONS[current]:
        ensure_transition(current, target)
    else:
        with pytest.raises(InvalidTransitionError):
            ensure_transition(current, target)


def test_a_refused_transition_is_a_conflict_naming_both_states():
    with pytest.raises(ConflictError, match="closed cannot become routed"):
        ensure_transition(Status.CLOSED, Status.ROUTED)


@pytest.mark.parametrize("status", list(Status))
def test_open_states_are_exactly_those_before_resolution(status):
    before_resolution = {
        Status.RECEIVED,
        Status.NEEDS_INFO,
        Status.VERIFIED,
        Status.ROUTED,
        Status.FOLLOWED_UP,
    }
    assert is_open(status) == (status in before_resolution)


def test_the_clock_runs_on_a_new_complaint():
    assert complaint().clock_running


def test_the_clock_keeps_running_after_routing():
    assert routed().clock_running


def test_the_first_follow_up_stops_the_clock():
    assert not followed_up().clock_running


def test_the_clock_does_not_run_on_a_closed_complaint():
    assert not complaint(status=Status.CLOSED).clock_running


@pytest.mark.parametrize("status", [Status.NEEDS_INFO, Status.QUARANTINED, Status.DUPLICATE])
def test_the_clock_waits_while_the_reporter_or_a_reviewer_must_act(status):
    assert not complaint(status=status).clock_running


def test_a_change_stamps_the_time_and_keeps_the_rest():
    before = complaint()
    now = wib(2025, 3, 28, 9, 0)

    after = before.changed(now, status=Status.ROUTED, agency="PUPR")

    assert (after.status, after.agency, after.updated_at) == (Status.ROUTED, "PUPR", now)
    assert after.clock_start_date == before.clock_start_date
