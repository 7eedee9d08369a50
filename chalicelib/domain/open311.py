"""Open311 GeoReport v2 terms for our complaints: services, statuses, the
query window. Pure rules; the HTTP shapes live in `chalicelib.channels.open311`.

A GeoReport *service* is one of a region's complaint categories; its agency is
the service *group*. A *service request* is a complaint, identified by its
tracking ID. GeoReport knows two states, `open` and `closed`; our finer state
goes to `status_notes`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from chalicelib.domain.complaint import Complaint, EscalationLevel, Status, is_open
from chalicelib.domain.errors import ValidationError
from chalicelib.domain.region import Agency, Region

OPEN = "open"
CLOSED = "closed"
QUERY_WINDOW = timedelta(days=90)  # the specification's default and widest window
DESCRIPTION_LIMIT = 4000


@dataclass(frozen=True)
class Service:
    code: str  # our category code, e.g. "jalan"
    name: str
    agency: Agency

    @property
    def description(self) -> str:
        return f"{self.name} — ditangani oleh {self.agency.name}"

    @property
    def keywords(self) -> str:
        return ", ".join(dict.fromkeys((self.code, self.agency.code.lower())))


def services(region: Region) -> list[Service]:
    """Every category of every agency of the region, in the region's order."""
    return [
        Service(code, region.category_name(code), agency)
        for agency in region.agencies
        for code in agency.categories
    ]


def service(region: Region, code: str) -> Service | None:
    return next((s for s in services(region) if s.code == code), None)


def open311_status(status: Status) -> str:
    return OPEN if is_open(status) else CLOSED


def statuses_for(wanted: list[str]) -> frozenset[Status]:
    """Our states behind the GeoReport statuses asked for (`open`, `closed`)."""
    unknown = [w for w in wanted if w not in (OPEN, CLOSED)]
    if unknown:
        raise ValidationError(
            f"status must be {OPEN!r} or {CLOSED!r}, got {unknown[0]!r}", field="status"
        )
    return frozenset(s for s in Status if open311_status(s) in wanted)


def status_notes(complaint: Complaint) -> str:
    """Our finer state, and the escalation level when there is one."""
    notes = complaint.status.value
    if complaint.escalation is not EscalationLevel.NONE:
        notes += f"; escalation: {complaint.escalation.value}"
    return notes


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime


def query_window(start: datetime | None, end: datetime | None, now: datetime) -> Window:
    """The requested_datetime range of a GET requests query. Without dates it is
    the last 90 days; with one date, the 90 days on its side of it. A window wider
    than 90 days, or one that ends before it starts, is refused."""
    if start is None and end is None:
        end = now
    if start is None:
        assert end is not None
        start = end - QUERY_WINDOW
    if end is None:
        end = start + QUERY_WINDOW
    if end < start:
        raise ValidationError("end_date must not be before start_date", field="end_date")
    if end - start > QUERY_WINDOW:
        raise ValidationError(
            "start_date and end_date must be at most 90 days apart", field="start_date"
        )
    return Window(start, end)


def is_listed(complaint: Complaint, region: str) -> bool:
    """Only a region's non-confidential complaints exist for GeoReport clients."""
    return complaint.region == region and not complaint.confidential


def complaint_title(service_name: str, description: str, limit: int = 200) -> str:
    """A title for a request that has none: the service name and the first words
    of the description, cut at a word boundary."""
    title = f"{service_name}: {' '.join(description.split())}"
    if len(title) <= limit:
        return title
    cut = title[: limit - 1].rsplit(" ", 1)[0]
    return f"{cut}…"


def reporter_name(first_name: str | None, last_name: str | None) -> str | None:
    """GeoReport's two name fields into our one, each kept exactly as given."""
    parts = [p.strip() for p in (first_name, last_name) if p and p.strip()]
    return " ".join(parts) or None
