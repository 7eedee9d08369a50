"""The waits that close a complaint: 10 working days for the reporter's reply,
30 days for missing information."""

from datetime import date, timedelta

import pytest

from chalicelib.domain.closure import (
    DEFAULT_CLOSURE,
    closure_due,
    info_cutoff,
    info_due,
    reply_cutoff,
    reply_due,
)
from chalicelib.domain.complaint import Closure, Status
from chalicelib.domain.sms import reply_kind
from tests.unit.builders import WIB, complaint, official_calendar, wib

CALENDAR = official_calendar()


def resolved_on(day: date):
    return complaint(status=Status.RESOLVED, resolved_on=day, resolved_at=wib(2025, 4, 10, 10))


def test_the_reply_window_skips_holidays():
    # Thu 10 Apr 2025: Good Friday 18 Apr is skipped, the 10th working day is Fri 25 Apr.
    assert reply_due(date(2025, 4, 10), CALENDAR, DEFAULT_CLOSURE) == date(2025, 4, 25)


def test_a_resolution_is_not_closed_on_the_last_day_of_its_window():
    due = closure_due(
        resolved_on(date(2025, 4, 10)), wib(2025, 4, 25, 23, 59), WIB, CALENDAR, DEFAULT_CLOSURE
    )
    assert due is None


def test_a_resolution_closes_without_reply_from_midnight_after_its_window():
    due = closure_due(
        resolved_on(date(2025, 4, 10)), wib(2025, 4, 26, 0, 0), WIB, CALENDAR, DEFAULT_CLOSURE
    )
    assert due is Closure.NO_REPLY


def test_missing_information_is_awaited_for_30_calendar_days():
    assert info_due(date(2025, 3, 27), DEFAULT_CLOSURE) == date(2025, 4, 26)


def test_a_complaint_sent_back_is_withdrawn_from_the_31st_day():
    waiting = complaint(status=Status.NEEDS_INFO, info_requested_on=date(2025, 3, 27))
    assert closure_due(waiting, wib(2025, 4, 26, 23), WIB, CALENDAR, DEFAULT_CLOSURE) is None
    assert (
        closure_due(waiting, wib(2025, 4, 27, 0), WIB, CALENDAR, DEFAULT_CLOSURE)
        is Closure.WITHDRAWN
    )


@pytest.mark.parametrize("day", [date(2025, 4, 10) + timedelta(days=n) for n in range(40)])
def test_the_reply_cutoff_splits_due_from_not_due_resolutions(day):
    now = wib(2025, 5, 12, 8)
    cutoff = reply_cutoff(now, WIB, CALENDAR, DEFAULT_CLOSURE)
    due = closure_due(resolved_on(day), now, WIB, CALENDAR, DEFAULT_CLOSURE) is Closure.NO_REPLY
    assert due == (day <= cutoff)


def test_the_info_cutoff_is_the_last_request_date_whose_30_days_are_over():
    assert info_cutoff(wib(2025, 4, 27, 0, 30), WIB, DEFAULT_CLOSURE) == date(2025, 3, 27)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("TGM-333333W SETUJU", "confirm"),
        ("setuju, terima kasih TGM-333333W", "confirm"),
        ("TGM-333333W SANGGAH masih rusak", "dispute"),
        ("TGM-333333W belum diperbaiki", "dispute"),
        ("TGM-333333W ada perkembangan? sdh 2 minggu", "information"),
    ],
)
def test_an_sms_reply_to_a_resolution_reads_the_reporters_verdict(text, kind):
    assert reply_kind(text, "TGM-333333W", awaiting_answer=True) == kind


def test_an_sms_reply_to_an_unresolved_complaint_is_information():
    assert reply_kind("TGM-333333W SETUJU", "TGM-333333W", awaiting_answer=False) == "information"
