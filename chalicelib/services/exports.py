"""Work queues as CSV for spreadsheets.

Rows are built from the staff view, so a reporter appears in an export exactly
when the viewer sees them on screen (`domain.access.sees_reporter`). Complaint
text is citizen input: a cell that a spreadsheet would read as a formula gets a
leading apostrophe, so it shows as the text it is.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from chalicelib.domain.queues import QUEUE_FIELDS, Queue

# What spreadsheets take as the start of a formula (or of a hidden one, after a
# tab or carriage return).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

COLUMNS = (
    "tracking_id",
    "received_at",
    "status",
    "escalation",
    "category",
    "agency",
    "title",
    "location",
)
REPORTER_COLUMNS = ("reporter_name", "reporter_phone", "reporter_email")


def spreadsheet_safe(text: str) -> str:
    """`text` with a leading apostrophe if a spreadsheet would run it as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def header(queue: Queue) -> list[str]:
    return [*COLUMNS, *QUEUE_FIELDS[queue], *REPORTER_COLUMNS]


def queue_csv(queue: Queue, items: Iterable[dict]) -> str:
    """A page of `queue` (staff views with their queue block) as CSV, one row each."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header(queue))
    for item in items:
        writer.writerow([_cell(value) for value in _row(queue, item)])
    return out.getvalue()


def _row(queue: Queue, view: dict) -> list[object]:
    agency = view.get("agency") or {}
    reporter = view.get("reporter") or {}  # None where the viewer may not see them
    return [
        view["tracking_id"],
        view["received_at"],
        view["status"],
        view["escalation"],
        view["category"],
        agency.get("code"),
        view["title"],
        view["location"],
        *(view["queue"][field] for field in QUEUE_FIELDS[queue]),
        reporter.get("name"),
        reporter.get("phone") or reporter.get("phone_raw"),
        reporter.get("email"),
    ]


def _cell(value: object) -> str | int:
    """Numbers the service computes stay numbers; every text is made safe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return value
    return spreadsheet_safe(str(value))
