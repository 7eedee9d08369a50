"""The working calendar: the public view of a region's year, and the admin
changes that add or remove days off at run time."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from chalice import Blueprint, Response

from chalicelib import wiring
from chalicelib.api.errors import handled
from chalicelib.api.requests import body, query_param, staff_actor
from chalicelib.api.schemas import HolidayChangeBody, calendar_date
from chalicelib.domain.access import Actor, Role
from chalicelib.domain.calendar import NATIONAL
from chalicelib.domain.errors import NotFoundError, PermissionDeniedError, ValidationError
from chalicelib.services import views

bp = Blueprint(__name__)

# National changes are decided in Jakarta and shown in its time (WIB).
NATIONAL_ZONE = ZoneInfo("Asia/Jakarta")


def _year() -> int:
    raw = query_param(bp.current_request, "year")
    if raw is None:
        raise ValidationError("give the year, e.g. ?year=2025", field="year")
    if not (len(raw) == 4 and raw.isascii() and raw.isdigit()):
        raise ValidationError(f"year must be four digits, e.g. 2025, not {raw!r}", field="year")
    try:
        return calendar_date(f"{raw}-01-01").year
    except ValueError as error:
        raise ValidationError(f"year {error}", field="year") from None


@bp.route("/regions/{region}/calendar", methods=["GET"])
@handled
def region_calendar(region: str):
    """The year's days off in force in the region, each with its source."""
    found = wiring.regions().get(region)
    year = _year()
    return views.calendar_view(found, year, wiring.calendar_for(found))


def _scope_zone(scope: str, field: str = "scope") -> ZoneInfo:
    """The zone a scope's changes are shown in; an unknown region is a bad field."""
    if scope == NATIONAL:
        return NATIONAL_ZONE
    try:
        return wiring.regions().get(scope).zone
    except NotFoundError:
        raise ValidationError(
            f"scope must be {NATIONAL!r} or a region code; there is no region {scope!r}",
            field=field,
        ) from None


def _admin() -> Actor:
    actor = staff_actor(bp.current_request)
    if actor.role is Role.AGENCY:
        raise PermissionDeniedError("only admins manage the holiday calendar")
    return actor


@bp.route("/staff/calendar/changes", methods=["POST"])
@handled
def change_calendar():
    """Add or remove a day off in the national calendar or a region's."""
    actor = _admin()
    request = body(bp.current_request, HolidayChangeBody).to_request()
    zone = _scope_zone(request.scope)
    change = wiring.calendars().change(request, actor, wiring.now())
    return Response(views.change_view(change, zone), status_code=201)


@bp.route("/staff/calendar/changes", methods=["GET"])
@handled
def list_changes():
    """The admin changes of one scope in one year, oldest first."""
    actor = _admin()
    default = actor.region if actor.role is Role.ADMIN_DAERAH else NATIONAL
    scope = (query_param(bp.current_request, "scope") or default or NATIONAL).lower()
    zone = _scope_zone(scope)
    changes = wiring.calendars().changes(scope, _year(), actor)
    return {"scope": scope, "changes": [views.change_view(c, zone) for c in changes]}
