"""Staff are told in office hours: 08:00-16:00 local on a working day of the
region's calendar. A case flagged on a Saturday is told on Monday morning."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from chalicelib.domain.messages import SEGMENT, gsm7_length, is_gsm7, staff_escalated, staff_routed
from chalicelib.domain.office_hours import next_office_moment
from tests.unit.builders import official_calendar, wib

WIB = ZoneInfo("Asia/Jakarta")
CAL = official_calendar()


def test_inside_office_hours_staff_are_told_at_once():
    now = wib(2025, 3, 27, 10, 30)  # Thursday

    assert next_office_moment(now, CAL, WIB) == now


def test_before_opening_staff_are_told_at_eight():
    assert next_office_moment(wib(2025, 3, 27, 6, 45), CAL, WIB) == wib(2025, 3, 27, 8, 0)


def test_at_closing_time_staff_are_told_the_next_working_morning():
    assert next_office_moment(wib(2025, 4, 22, 16, 0), CAL, WIB) == wib(2025, 4, 23, 8, 0)


def test_a_case_flagged_on_saturday_is_told_on_monday_morning():
    saturday_midnight = wib(2025, 5, 24, 0, 0)

    assert next_office_moment(saturday_midnight, CAL, WIB) == wib(2025, 5, 26, 8, 0)


def test_holidays_are_not_office_days():
    # Wed 27 Nov 2024 was made a holiday (regional elections): Tuesday evening's
    # news waits for Thursday.
    assert next_office_moment(wib(2024, 11, 26, 19, 0), CAL, WIB) == wib(2024, 11, 28, 8, 0)


def test_nyepi_lebaran_holidays_and_cuti_bersama_are_skipped():
    # Thu 27 Mar 2025 after closing: 28 Mar cuti bersama Nyepi, 31 Mar and 1 Apr
    # Idul Fitri, 2-4 and 7 Apr cuti bersama; the office next opens on 8 Apr.
    thursday_evening = wib(2025, 3, 27, 16, 0)

    assert next_office_moment(thursday_evening, CAL, WIB) == wib(2025, 4, 8, 8, 0)


def test_office_hours_are_local_to_the_region():
    wit = ZoneInfo("Asia/Jayapura")
    # 23:30 UTC Wednesday is 08:30 Thursday in WIT (Papua): open.
    now = datetime(2025, 3, 26, 23, 30, tzinfo=UTC)

    assert next_office_moment(now, CAL, wit) == now
    assert next_office_moment(now, CAL, WIB) == wib(2025, 3, 27, 8, 0)


def test_the_answer_is_an_aware_instant():
    moment = next_office_moment(wib(2025, 3, 29, 12, 0), CAL, WIB)

    assert moment.utcoffset() == timedelta(0)
    assert moment.astimezone(timezone(timedelta(hours=7))).hour == 8


def test_staff_texts_fit_one_plain_sms_and_name_no_reporter():
    texts = [
        staff_routed("TGM-7K3QXRJ", "Jembatan", "PUPR", wib(2025, 5, 23).date()),
        staff_escalated("TGM-7K3QXRJ", "intervention", "PUPR", wib(2025, 7, 11).date()),
        staff_escalated("TGM-7K3QXRJ", "takeover", None, wib(2025, 7, 11).date()),
    ]

    for text in texts:
        assert is_gsm7(text) and gsm7_length(text) <= SEGMENT
        assert "TGM-7K3QXRJ" in text
    assert "23-05-2025" in texts[0]
    assert "30 hari kerja" in texts[1] and "60 hari kerja" in texts[2]
