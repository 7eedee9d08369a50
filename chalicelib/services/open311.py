"""What GeoReport v2 clients see: services, service definitions and service
requests, as ordered field lists ready for JSON or XML. No reporter data ever
appears here, anonymous or not."""

from __future__ import annotations

from chalicelib.domain.calendar import WorkingCalendar
from chalicelib.domain.complaint import Complaint
from chalicelib.domain.escalation import EscalationPolicy, deadlines
from chalicelib.domain.open311 import Service, open311_status, status_notes
from chalicelib.domain.region import Region
from chalicelib.services.views import instant

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-03T00:00:00Z"  # when this API last changed; clients cache discovery
FORMATS = ["text/xml", "application/json"]


def discovery_view(url: str, stage: str) -> dict:
    return {
        "changeset": CHANGESET,
        "contact": "Tim Saber Pekan — pengaduan layanan publik, SMS 1708",
        "key_service": "API keys are issued per client by the central admin (Admin Pusat)",
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": url,
                "changeset": CHANGESET,
                "type": "production" if stage == "prod" else "test",
                "formats": FORMATS,
            }
        ],
    }


def service_view(s: Service) -> dict:
    return {
        "service_code": s.code,
        "service_name": s.name,
        "description": s.description,
        "metadata": False,  # no service defines extra attributes yet
        "type": "realtime",
        "keywords": s.keywords,
        "group": s.agency.name,
    }


def service_definition_view(s: Service) -> dict:
    return {"service_code": s.code, "attributes": []}


def request_view(
    c: Complaint, region: Region, calendar: WorkingCalendar, policy: EscalationPolicy
) -> dict:
    """A complaint as a GeoReport service request: the public summary only.
    `expected_datetime` is the instant the follow-up becomes overdue."""
    zone = region.zone
    agency = region.agency(c.agency) if c.agency else None
    due = deadlines(c.clock_start_date, calendar, zone, policy).follow_up_due
    return {
        "service_request_id": c.tracking_id,
        "status": open311_status(c.status),
        "status_notes": status_notes(c),
        "service_name": region.category_name(c.category) if c.category else None,
        "service_code": c.category,
        "description": c.description,
        "agency_responsible": (agency.name if agency else c.agency),
        "service_notice": None,
        "requested_datetime": instant(c.received_at, zone),
        "updated_datetime": instant(c.updated_at, zone),
        "expected_datetime": instant(due.overdue_from, zone),
        "address": c.location,
    }


def created_view(answer: dict) -> dict:
    """The answer to a POST: the tracking ID, and the reporter's access code in
    the notice (shown only here, as on every channel)."""
    deadline = answer["deadlines"]["follow_up_due"]
    return {
        "service_request_id": answer["tracking_id"],
        "service_notice": (
            f"Nomor pelacakan {answer['tracking_id']}, kode akses {answer['access_code']} "
            f"(simpan, hanya ditampilkan sekali). Tindak lanjut paling lambat {deadline}."
        ),
        "account_id": None,
    }


def token_view(tracking_id: str) -> dict:
    """Requests are created synchronously, so a token is the tracking ID itself."""
    return {"service_request_id": tracking_id, "token": tracking_id}
