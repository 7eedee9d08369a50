"""The escalation policy on the brief's example case: received Thu 27 Mar 2025 in
Tanggamus (WIB); 30 working days end Fri 23 May 2025, 60 end Fri 11 Jul 2025."""

from datetime import date, datetime, timedelta

import pytest

from chalicelib.domain.complaint import EscalationLevel
from chalicelib.domain.escalation import (
    DEFAULT_POLICY,
    EscalationPolicy,
    EscalationStep,
    deadlines,
    level_due,
    sweep_cutoff,
)
from tests.unit.builders import WIB, official_calendar, utc, wib

NONE = EscalationLevel.NONE
INTERVENTION = EscalationLevel.INTERVENTION
TAKEOVER = EscalationLevel.TAKEOVER

RECEIVED = date(2025, 3, 27)
INTERVENTION_STEP, TAKEOVER_STEP = DEFAULT_POLICY.steps


def due_at(
    now: datetime,
    *,
    current: EscalationLevel = NONE,
    clock_start: date = RECEIVED,
    policy: EscalationPolicy = DEFAULT_POLICY,
) -> EscalationLevel | None:
    return level_due(
        clock_start=clock_start,
        clock_stopped=False,
        current=current,
        now=now,
        zone=WIB,
        calendar=official_calendar(),
        policy=policy,
    )


# --- intervention at 30 working days -----------------------------------------------


def test_nothing_is_due_on_the_30th_working_day_itself():
    assert due_at(wib(2025, 5, 23, 23, 59, 59)) is None


def test_intervention_is_due_from_midnight_local_time_after_the_30th_working_day():
    assert due_at(wib(2025, 5, 24, 0, 0)) is INTERVENTION


def test_local_midnight_not_utc_midnight_starts_intervention():
    # 17:00 UTC on Friday is already Saturday 00:00 WIB.
    assert due_at(utc(2025, 5, 23, 16, 59, 59)) is None
    assert due_at(utc(2025, 5, 23, 17, 0)) is INTERVENTION


def test_a_case_already_in_intervention_is_not_raised_again_before_60_working_days():
    assert due_at(wib(2025, 6, 30, 12, 0), current=INTERVENTION) is None


def test_the_published_follow_up_deadline_is_the_30th_working_day():
    found = deadlines(RECEIVED, official_calendar(), WIB, DEFAULT_POLICY)

    assert found.follow_up_due.level is INTERVENTION
    assert found.follow_up_due.due == date(2025, 5, 23)


# --- takeover at 60 working days ---------------------------------------------------


def test_the_published_takeover_deadline_is_the_60th_working_day():
    found = deadlines(RECEIVED, official_calendar(), WIB, DEFAULT_POLICY)

    assert found.takeover_due.level is TAKEOVER
    assert found.takeover_due.due == date(2025, 7, 11)
    assert found.takeover_due.overdue_from == wib(2025, 7, 12, 0, 0)


def test_nothing_more_is_due_on_the_60th_working_day_itself():
    assert due_at(wib(2025, 7, 11, 23, 59, 59), current=INTERVENTION) is None


def test_takeover_is_due_after_60_working_days():
    assert due_at(wib(2025, 7, 12, 0, 0), current=INTERVENTION) is TAKEOVER


def test_a_case_never_flagged_at_30_goes_straight_to_takeover_when_swept_after_60():
    assert due_at(wib(2025, 7, 12, 0, 0), current=NONE) is TAKEOVER


def test_a_case_taken_over_has_nothing_further_due():
    assert due_at(wib(2025, 12, 31, 12, 0), current=TAKEOVER) is None


def test_a_stopped_clock_is_never_escalated_however_late():
    found = level_due(
        clock_start=RECEIVED,
        clock_stopped=True,
        current=NONE,
        now=wib(2025, 12, 31, 12, 0),
        zone=WIB,
        calendar=official_calendar(),
    )

    assert found is None


# --- thresholds are data -----------------------------------------------------------

FAST = EscalationPolicy(
    steps=(EscalationStep(INTERVENTION, 5), EscalationStep(TAKEOVER, 10)),
)
MONDAY_6_JAN_2025 = date(2025, 1, 6)  # no holidays until 27 Jan


def test_a_custom_policy_publishes_its_own_deadlines():
    found = deadlines(MONDAY_6_JAN_2025, official_calendar(), WIB, FAST)

    assert found.follow_up_due.due == date(2025, 1, 13)
    assert found.takeover_due.due == date(2025, 1, 20)


def test_a_custom_policy_intervenes_after_its_own_threshold():
    now = wib(2025, 1, 14, 0, 0)

    assert due_at(now, clock_start=MONDAY_6_JAN_2025, policy=FAST) is INTERVENTION


def test_a_custom_policy_takes_over_after_its_own_threshold():
    now = wib(2025, 1, 21, 0, 0)

    assert due_at(now, clock_start=MONDAY_6_JAN_2025, policy=FAST) is TAKEOVER


def test_the_step_after_no_escalation_is_intervention():
    assert DEFAULT_POLICY.step_after(NONE) == INTERVENTION_STEP


def test_the_step_after_intervention_is_takeover():
    assert DEFAULT_POLICY.step_after(INTERVENTION) == TAKEOVER_STEP


def test_there_is_no_step_after_takeover():
    assert DEFAULT_POLICY.step_after(TAKEOVER) is None


# --- time ----------------------------------------------------------------------------


def test_a_naive_now_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        due_at(datetime(2025, 5, 24, 0, 0))


def test_a_naive_now_is_refused_by_the_sweep_cutoff():
    with pytest.raises(ValueError, match="timezone-aware"):
        sweep_cutoff(INTERVENTION_STEP, datetime(2025, 5, 24, 0, 0), WIB, official_calendar())


# --- the sweep reads only what is due -----------------------------------------------


def test_a_case_started_on_the_sweep_cutoff_is_due():
    now = wib(2025, 5, 24, 0, 0)
    cutoff = sweep_cutoff(INTERVENTION_STEP, now, WIB, official_calendar())

    assert due_at(now, clock_start=cutoff) is INTERVENTION


def test_a_case_started_the_day_after_the_sweep_cutoff_is_not_due():
    now = wib(2025, 5, 24, 0, 0)
    cutoff = sweep_cutoff(INTERVENTION_STEP, now, WIB, official_calendar())

    assert due_at(now, clock_start=cutoff + timedelta(days=1)) is None


def test_the_sweep_cutoff_reaches_past_the_lebaran_holidays():
    # Starts from Thu 27 Mar to Mon 7 Apr 2025 all share the 23 May deadline.
    now = wib(2025, 5, 24, 0, 0)

    assert sweep_cutoff(INTERVENTION_STEP, now, WIB, official_calendar()) == date(2025, 4, 7)
