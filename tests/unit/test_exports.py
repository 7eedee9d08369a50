"""Queue exports: CSV a spreadsheet opens safely, reporters only where seen."""

import csv
import io

import pytest

from chalicelib.domain.queues import Queue
from chalicelib.services.exports import queue_csv, spreadsheet_safe


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil.example","klik")',
        "+62 812 3456 7890",
        "-1+2",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_text_a_spreadsheet_would_run_as_a_formula_gets_a_leading_apostrophe(text):
    assert spreadsheet_safe(text) == "'" + text


@pytest.mark.parametrize("text", ["Jalan rusak", "Jalan rusak = bahaya", "'kutipan", ""])
def test_ordinary_text_is_left_as_it_is(text):
    assert spreadsheet_safe(text) == text


def item(**overrides) -> dict:
    view = {
        "tracking_id": "TGM-7K3QXRJ",
        "received_at": "2025-03-27T09:00:00+07:00",
        "status": "routed",
        "escalation": "none",
        "category": "jalan",
        "agency": {"code": "PUPR", "name": "Dinas PUPR"},
        "title": "Jalan rusak",
        "location": "Pekon Way Gelang",
        "queue": {"follow_up_due": "2025-05-23", "working_days_left": -2},
        "reporter": {"name": "Sumiyati", "phone": "+6281234567890", "email": None},
    }
    return view | overrides


def rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_a_row_holds_the_complaint_its_deadline_and_its_reporter():
    (row,) = rows(queue_csv(Queue.AGENCY, [item()]))

    assert row == {
        "tracking_id": "TGM-7K3QXRJ",
        "received_at": "2025-03-27T09:00:00+07:00",
        "status": "routed",
        "escalation": "none",
        "category": "jalan",
        "agency": "PUPR",
        "title": "Jalan rusak",
        "location": "Pekon Way Gelang",
        "follow_up_due": "2025-05-23",
        "working_days_left": "-2",  # a number the service computed, not neutralised
        "reporter_name": "Sumiyati",
        "reporter_phone": "'+6281234567890",
        "reporter_email": "",
    }


def test_a_reporter_the_viewer_may_not_see_leaves_the_reporter_columns_empty():
    (row,) = rows(queue_csv(Queue.AGENCY, [item(reporter=None)]))

    assert (row["reporter_name"], row["reporter_phone"], row["reporter_email"]) == ("", "", "")


def test_an_empty_page_still_has_its_header():
    assert queue_csv(Queue.TRIAGE, []).splitlines() == [
        "tracking_id,received_at,status,escalation,category,agency,title,location,"
        "verification_due,verification_overdue,routing_due,routing_overdue,"
        "reporter_name,reporter_phone,reporter_email"
    ]


def test_a_title_with_commas_quotes_and_line_breaks_stays_one_cell():
    title = 'Jalan "rusak", berlubang\nsejak Januari'

    (row,) = rows(queue_csv(Queue.AGENCY, [item(title=title)]))

    assert row["title"] == title
