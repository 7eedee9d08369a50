"""Small builders for unit tests: sensible defaults, override only what a test is about."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from chalicelib.domain.access import Actor, Role
from chalicelib.domain.calendar import Holiday, HolidayYear, WorkingCalendar
from chalicelib.domain.complaint import Complaint, EscalationLevel, Reporter, Status
from chalicelib.domain.region import Region
from chalicelib.services.holiday_sources import default_source, official_holidays

WIB = ZoneInfo("Asia/Jakarta")  # UTC+7
WITA = ZoneInfo("Asia/Makassar")  # UTC+8
WIT = ZoneInfo("Asia/Jayapura")  # UTC+9
ZONES = (WIB, WITA, WIT)

REGION = "tanggamus"
OTHER_REGION = "pringsewu"


def wib(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0):
    """An aware instant given in WIB, the way Tanggamus staff read a clock."""
    return datetime(year, month, day, hour, minute, second, tzinfo=WIB)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0):
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


@dataclass(frozen=True)
class StubHolidaySource:
    """Exactly the given days off, every year treated as official (never provisional)."""

    holidays: tuple[Holiday, ...]

    def year(self, year: int) -> HolidayYear:
        return HolidayYear({h.day: h for h in self.holidays if h.day.year == year})


def official_calendar() -> WorkingCalendar:
    """The calendar as shipped: official SKB lists, python-holidays for other years."""
    return WorkingCalendar(default_source())


def calendar_without(*days: date) -> WorkingCalendar:
    """The official calendar as it stood before `days` were declared holidays."""
    return WorkingCalendar(
        StubHolidaySource(tuple(h for h in official_holidays() if h.day not in days))
    )


def complaint(**overrides: object) -> Complaint:
    """A complete complaint received in Tanggamus on Thu 27 Mar 2025, not yet routed."""
    received = wib(2025, 3, 27, 10, 0)
    fields: dict[str, object] = {
        "tracking_id": "TGM-7K3QXRJ",
        "region": REGION,
        "channel": "web",
        "status": Status.RECEIVED,
        "escalation": EscalationLevel.NONE,
        "received_at": received,
        "clock_started_at": received,
        "clock_start_date": date(2025, 3, 27),
        "updated_at": received,
        "title": "Jalan rusak",
        "description": "Jalan rusak di pekon Way Gelang",
        "reporter": Reporter(name="Sumiyati", phone_raw="081234567890", phone="+6281234567890"),
        "access_code_hash": "not-a-real-hash",
    }
    fields.update(overrides)
    return Complaint(**fields)  # type: ignore[arg-type]


def routed(agency: str = "PUPR", **overrides: object) -> Complaint:
    """Routed (disposisi) to `agency`, clock still running."""
    return complaint(**{"status": Status.ROUTED, "agency": agency, **overrides})


def followed_up(agency: str = "PUPR", **overrides: object) -> Complaint:
    """Followed up by `agency`: the clock has stopped."""
    return complaint(
        **{
            "status": Status.FOLLOWED_UP,
            "agency": agency,
            "followed_up_at": wib(2025, 4, 10, 9, 0),
            **overrides,
        }
    )


def central_admin() -> Actor:
    return Actor(subject="pusat-1", role=Role.ADMIN_PUSAT)


def regional_admin(region: str = REGION) -> Actor:
    return Actor(subject="daerah-1", role=Role.ADMIN_DAERAH, region=region)


def agency_officer(agency: str = "PUPR", region: str = REGION) -> Actor:
    return Actor(subject="opd-1", role=Role.AGENCY, region=region, agency=agency)


def region(**overrides: object) -> Region:
    """Another regency sharing the short number with Tanggamus."""
    fields: dict[str, object] = {
        "code": OTHER_REGION,
        "name": "Kabupaten Pringsewu",
        "timezone": "Asia/Jakarta",
        "tracking_prefix": "PSW",
        "sms_keywords": ("PRINGSEWU", "PSW"),
        "aliases": ("KAB PRINGSEWU", "KABUPATEN PRINGSEWU"),
    }
    fields.update(overrides)
    return Region(**fields)  # type: ignore[arg-type]
