"""Which work queues a complaint sits in, derived from its state alone; what each
queue shows of it; how a queue is narrowed."""

from datetime import date

import pytest

from chalicelib.domain.complaint import EscalationLevel, Status
from chalicelib.domain.errors import ValidationError
from chalicelib.domain.escalation import DEFAULT_POLICY
from chalicelib.domain.queues import (
    QUEUE_FIELDS,
    Queue,
    QueueKeys,
    queue_block,
    queue_filter,
    queue_keys,
)
from chalicelib.domain.region import Agency
from tests.unit.builders import (
    REGION,
    WIB,
    WIT,
    complaint,
    followed_up,
    official_calendar,
    region,
    routed,
    utc,
)

INTERVENTION = EscalationLevel.INTERVENTION
TAKEOVER = EscalationLevel.TAKEOVER


def keys(case) -> QueueKeys:
    return queue_keys(case, DEFAULT_POLICY)


def test_a_new_complaint_is_in_triage():
    assert keys(complaint()).stage_queue == f"triage#{REGION}"


def test_a_new_complaint_waits_on_the_intervention_clock():
    assert keys(complaint()).clock_queue == f"{REGION}#intervention"


def test_a_new_complaint_is_in_no_agency_queue():
    assert keys(complaint()).agency_queue is None


def test_a_routed_complaint_leaves_triage():
    assert keys(routed()).stage_queue is None


def test_a_routed_complaint_is_in_its_agency_queue():
    assert keys(routed(agency="PUPR")).agency_queue == f"{REGION}#PUPR"


def test_a_routed_complaint_still_waits_on_the_intervention_clock():
    assert keys(routed()).clock_queue == f"{REGION}#intervention"


def test_a_followed_up_complaint_waits_on_no_clock():
    assert keys(followed_up()).clock_queue is None


def test_a_followed_up_complaint_stays_in_its_agency_queue():
    assert keys(followed_up(agency="PUPR")).agency_queue == f"{REGION}#PUPR"


def test_a_complaint_in_intervention_waits_on_the_takeover_clock():
    assert keys(routed(escalation=INTERVENTION)).clock_queue == f"{REGION}#takeover"


def test_a_complaint_in_intervention_is_in_the_regional_intervention_queue():
    assert keys(routed(escalation=INTERVENTION)).stage_queue == f"intervention#{REGION}"


def test_a_followed_up_complaint_leaves_the_intervention_queue():
    assert keys(followed_up(escalation=INTERVENTION)).stage_queue is None


def test_a_complaint_taken_over_waits_on_no_clock():
    assert keys(routed(escalation=TAKEOVER)).clock_queue is None


def test_a_complaint_taken_over_is_in_the_national_takeover_queue():
    assert keys(routed(escalation=TAKEOVER)).stage_queue == "takeover"


def test_an_unrouted_complaint_taken_over_is_in_the_takeover_queue_not_triage():
    assert keys(complaint(escalation=TAKEOVER)).stage_queue == "takeover"


def test_a_closed_complaint_is_in_no_queue():
    closed = routed(status=Status.CLOSED, escalation=INTERVENTION)

    assert keys(closed) == QueueKeys(None, None, None)


def test_a_resolved_complaint_is_in_no_queue():
    assert keys(followed_up(status=Status.RESOLVED)) == QueueKeys(None, None, None)


# --- what each queue shows -------------------------------------------------------

CALENDAR = official_calendar()


def block(queue: Queue, case, today: date) -> dict:
    return queue_block(queue, case, today, WIB, CALENDAR, DEFAULT_POLICY)


def received_on(day: date, **overrides):
    return complaint(clock_start_date=day, **overrides)


def test_routing_is_due_three_working_days_after_receipt():
    # Mon 5 May 2025: Tue 6, Wed 7, Thu 8.
    assert block(Queue.TRIAGE, received_on(date(2025, 5, 5)), date(2025, 5, 5))[
        "routing_due"
    ] == date(2025, 5, 8)


def test_routing_due_skips_the_lebaran_holidays():
    # Thu 27 Mar 2025: 28 Mar and 31 Mar to 7 Apr are off, so Tue 8, Wed 9, Thu 10 Apr.
    shown = block(Queue.TRIAGE, received_on(date(2025, 3, 27)), date(2025, 3, 27))

    assert shown["routing_due"] == date(2025, 4, 10)


def test_routing_is_not_overdue_on_its_due_day():
    shown = block(Queue.TRIAGE, received_on(date(2025, 5, 5)), date(2025, 5, 8))

    assert shown["routing_overdue"] is False


def test_routing_is_overdue_from_the_day_after_its_due_day():
    shown = block(Queue.TRIAGE, received_on(date(2025, 5, 5)), date(2025, 5, 9))

    assert shown["routing_overdue"] is True


def test_a_complaint_not_yet_verified_is_due_for_verification_the_next_working_day():
    shown = block(Queue.TRIAGE, received_on(date(2025, 5, 9)), date(2025, 5, 13))  # a Friday

    assert shown["verification_due"] == date(2025, 5, 14)  # Mon 12; Waisak; cuti bersama 13
    assert shown["verification_overdue"] is False


def test_a_verified_complaint_has_no_verification_due():
    shown = block(
        Queue.TRIAGE, received_on(date(2025, 5, 5), status=Status.VERIFIED), date(2025, 5, 9)
    )

    assert (shown["verification_due"], shown["verification_overdue"]) == (None, None)
    assert shown["routing_overdue"] is True


def test_the_agency_queue_shows_the_follow_up_deadline_and_the_working_days_left():
    # Received Thu 27 Mar 2025: follow-up due Fri 23 May 2025 (the brief's example).
    shown = block(Queue.AGENCY, routed(), date(2025, 5, 22))

    assert shown == {"follow_up_due": date(2025, 5, 23), "working_days_left": 1}


def test_the_agency_queue_counts_negative_days_once_the_follow_up_is_overdue():
    assert block(Queue.AGENCY, routed(), date(2025, 5, 27))["working_days_left"] == -2


def test_a_followed_up_complaint_has_no_working_days_left_its_clock_stopped():
    shown = block(Queue.AGENCY, followed_up(), date(2025, 5, 22))

    assert shown == {"follow_up_due": date(2025, 5, 23), "working_days_left": None}


@pytest.mark.parametrize("queue", [Queue.INTERVENTION, Queue.TAKEOVER])
def test_the_admin_queues_count_down_to_the_takeover(queue):
    case = routed(escalation=EscalationLevel.INTERVENTION)

    shown = block(queue, case, date(2025, 7, 10))  # 60th working day: Fri 11 Jul 2025

    assert shown == {"takeover_due": date(2025, 7, 11), "working_days_left": 1}


def test_awaiting_reply_shows_the_reporters_reply_deadline():
    case = followed_up(status=Status.RESOLVED, resolved_on=date(2025, 4, 10))

    shown = block(Queue.AWAITING_REPLY, case, date(2025, 4, 16))

    # Thu 10 Apr: Good Friday is skipped, the 10th working day is Fri 25 Apr; from
    # Wed 16 Apr: Thu 17, Mon 21 to Fri 25.
    assert shown == {"reply_due": date(2025, 4, 25), "working_days_left": 6}


def test_awaiting_information_counts_calendar_days():
    case = complaint(status=Status.NEEDS_INFO, info_requested_on=date(2025, 4, 10))

    shown = block(Queue.AWAITING_INFO, case, date(2025, 5, 1))

    assert shown == {"info_due": date(2025, 5, 10), "days_left": 9}


@pytest.mark.parametrize("queue", list(Queue))
def test_each_queue_shows_exactly_its_declared_fields(queue):
    case = followed_up(
        status=Status.RESOLVED, resolved_on=date(2025, 4, 10), info_requested_on=date(2025, 4, 1)
    )

    assert tuple(block(queue, case, date(2025, 4, 16))) == QUEUE_FIELDS[queue]


# --- narrowing a queue --------------------------------------------------------------


def with_categories(**overrides):
    return region(
        agencies=(Agency("PUPR", "Dinas PUPR", ("jalan", "jembatan")),),
        category_names={"jalan": "Jalan rusak", "sampah": "Sampah"},
        **overrides,
    )


def test_received_dates_are_read_as_whole_local_days():
    narrowed = queue_filter(
        with_categories(), received_from=date(2025, 3, 1), received_to=date(2025, 3, 31)
    )

    assert narrowed.received_from == utc(2025, 2, 28, 17)  # 1 Mar 00:00 WIB
    assert narrowed.received_before == utc(2025, 3, 31, 17)  # 1 Apr 00:00 WIB


def test_received_dates_follow_the_regions_time_zone():
    papua = with_categories(timezone=str(WIT))

    narrowed = queue_filter(papua, received_from=date(2025, 3, 1), received_to=date(2025, 3, 1))

    assert (narrowed.received_from, narrowed.received_before) == (
        utc(2025, 2, 28, 15),
        utc(2025, 3, 1, 15),
    )


def test_one_date_alone_leaves_the_other_side_open():
    narrowed = queue_filter(with_categories(), received_to=date(2025, 3, 31))

    assert narrowed.received_from is None


def test_received_from_after_received_to_names_the_field():
    with pytest.raises(ValidationError) as refused:
        queue_filter(
            with_categories(), received_from=date(2025, 4, 2), received_to=date(2025, 4, 1)
        )

    assert refused.value.field == "received_from"


@pytest.mark.parametrize("category", ["jembatan", "sampah"])
def test_a_category_of_an_agency_or_a_named_one_is_known(category):
    assert queue_filter(with_categories(), category=category).category == category


def test_a_category_the_region_does_not_know_names_the_field():
    with pytest.raises(ValidationError) as refused:
        queue_filter(with_categories(), category="roads")

    assert refused.value.field == "category"
