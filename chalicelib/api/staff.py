"""Staff routes: each needs a bearer token; what a token may see or do is
decided in `domain.access`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import unquote

from chalice import Blueprint, Response

from chalicelib import wiring
from chalicelib.api.errors import handled
from chalicelib.api.requests import B, body, int_param, query_param, staff_actor
from chalicelib.api.schemas import (
    AcceptRequest,
    ApiClientRequest,
    AttachRequest,
    CloseRequest,
    DeclineRequest,
    DuplicateRequest,
    FollowUpRequest,
    InfoRequest,
    NoteRequest,
    ReasonRequest,
    ResolveRequest,
    RevealRequest,
    RouteRequest,
    calendar_date,
)
from chalicelib.domain.access import Actor, Role
from chalicelib.domain.calendar import WorkingCalendar, local_date
from chalicelib.domain.complaint import Complaint
from chalicelib.domain.errors import NotFoundError, PermissionDeniedError, ValidationError
from chalicelib.domain.inbound import Outcome
from chalicelib.domain.queues import Queue, agency_partition, queue_filter, stage_partition
from chalicelib.domain.region import Region
from chalicelib.domain.tracking import normalize_tracking_id
from chalicelib.services import exports, views
from chalicelib.services.casework import Casework
from chalicelib.services.inbox import attach_message
from chalicelib.services.secrets import hash_api_key, new_api_key
from chalicelib.storage.api_clients import ApiClient

bp = Blueprint(__name__)


def _tracking_id(raw: str) -> str:
    canonical = normalize_tracking_id(raw)
    if canonical is None:
        raise NotFoundError(f"no complaint {raw}")
    return canonical


def _view(
    complaint: Complaint,
    actor: Actor,
    with_events: bool = False,
    calendars: dict[str, WorkingCalendar] | None = None,
    queue: Queue | None = None,
    now: datetime | None = None,
) -> dict:
    """The staff view; `calendars` shares one calendar per region across a page. An
    item of `queue` also carries that queue's deadline block as of `now`."""
    region = wiring.regions().get(complaint.region)
    events = wiring.complaints().events(complaint.tracking_id) if with_events else None
    calendars = {} if calendars is None else calendars
    if region.code not in calendars:
        calendars[region.code] = wiring.calendar_for(region)
    calendar = calendars[region.code]
    master = wiring.casework().master_of(complaint)
    view = views.staff_view(complaint, events, actor, region, calendar, wiring.policy(), master)
    if queue is not None:
        view["queue"] = views.queue_view(
            queue, complaint, region, calendar, wiring.policy(), now or wiring.now()
        )
    return view


@bp.route("/staff/complaints/{tracking_id}", methods=["GET"])
@handled
def get_complaint(tracking_id: str):
    actor = staff_actor(bp.current_request)
    complaint = wiring.casework().visible(_tracking_id(tracking_id), actor)
    return _view(complaint, actor, with_events=True)


@bp.route("/staff/complaints/{tracking_id}/events", methods=["GET"])
@handled
def events(tracking_id: str):
    """Every event of the complaint with its digest, and whether the chain of
    digests verifies (an edited or removed event is reported where it breaks)."""
    actor = staff_actor(bp.current_request)
    complaint, recorded = wiring.casework().audit_trail(_tracking_id(tracking_id), actor)
    return views.audit_view(complaint, recorded, wiring.regions().get(complaint.region))


@bp.route("/staff/complaints/{tracking_id}/reveal", methods=["POST"])
@handled
def reveal(tracking_id: str):
    """An admin reveals an anonymous reporter, with the reason; the reveal is
    recorded as an event before the identity is answered."""
    actor = staff_actor(bp.current_request)
    request = body(bp.current_request, RevealRequest)
    tid = _tracking_id(tracking_id)
    now = wiring.now()
    done = wiring.casework().reveal_reporter(tid, request.reason, actor, now, request.version)
    return views.revealed_view(done, wiring.regions().get(done.region), actor.subject, now)


def _act(tracking_id: str, schema: type[B], act: Callable[..., Complaint]) -> dict:
    """Parse the body, apply one casework action as the caller, show the result."""
    actor = staff_actor(bp.current_request)
    request = body(bp.current_request, schema)
    done = act(_tracking_id(tracking_id), request, actor, wiring.now())
    return _view(done, actor)


def _casework_route(
    action: str, schema: type[B], act: Callable[..., Complaint]
) -> Callable[[str], dict]:
    """Register POST /staff/complaints/{tracking_id}/<action> for one casework step."""

    def view(tracking_id: str) -> dict:
        return _act(tracking_id, schema, act)

    view.__name__ = action.replace("-", "_")
    bp.route(f"/staff/complaints/{{tracking_id}}/{action}", methods=["POST"])(handled(view))
    return view


def _casework() -> Casework:
    return wiring.casework()


_casework_route(
    "accept",
    AcceptRequest,
    lambda tid, r, actor, now: _casework().accept(tid, r.note, actor, now, r.version),
)
_casework_route(
    "request-info",
    InfoRequest,
    lambda tid, r, actor, now: _casework().request_info(tid, r.missing, actor, now, r.version),
)
_casework_route(
    "reject",
    ReasonRequest,
    lambda tid, r, actor, now: _casework().reject(tid, r.reason, actor, now, r.version),
)
_casework_route(
    "quarantine",
    ReasonRequest,
    lambda tid, r, actor, now: _casework().quarantine(tid, r.reason, actor, now, r.version),
)
_casework_route(
    "release",
    ReasonRequest,
    lambda tid, r, actor, now: _casework().release(tid, r.reason, actor, now, r.version),
)
_casework_route(
    "route",
    RouteRequest,
    lambda tid, r, actor, now: _casework().route(tid, r.agency, actor, now, r.version),
)
_casework_route(
    "decline",
    DeclineRequest,
    lambda tid, r, actor, now: _casework().decline(
        tid, r.reason, actor, now, r.version, r.occurred_at
    ),
)
_casework_route(
    "follow-ups",
    FollowUpRequest,
    lambda tid, r, actor, now: _casework().follow_up(
        tid, r.text, actor, now, r.version, r.occurred_at
    ),
)
_casework_route(
    "resolve",
    ResolveRequest,
    lambda tid, r, actor, now: _casework().resolve(
        tid, r.outcome, actor, now, r.version, r.occurred_at
    ),
)
_casework_route(
    "close",
    CloseRequest,
    lambda tid, r, actor, now: _casework().close(tid, r.reason, actor, now, r.version),
)
_casework_route(
    "notes",
    NoteRequest,
    lambda tid, r, actor, now: _casework().add_note(tid, r.text, actor, now, r.version),
)
_casework_route(
    "duplicate",
    DuplicateRequest,
    lambda tid, r, actor, now: _casework().mark_duplicate(
        tid, _tracking_id(r.master), actor, now, r.version
    ),
)


def _queue_partition(
    queue: Queue, actor: Actor, region: Region, agency: str | None
) -> tuple[str, str]:
    """The index and partition of a queue, within what the actor may see."""
    if actor.role is Role.AGENCY:
        if queue is not Queue.AGENCY:
            raise PermissionDeniedError("agency officers see their agency's queue only")
        return "agency", agency_partition(region.code, actor.agency or "")
    if actor.role is Role.ADMIN_DAERAH and queue is Queue.TAKEOVER:
        raise PermissionDeniedError("the takeover queue belongs to the central admin")
    if queue is Queue.AGENCY:
        if agency is None:
            raise ValidationError("name the agency, e.g. ?agency=PUPR", field="agency")
        known = region.agency(agency)
        if known is None:
            raise ValidationError(f"no agency {agency!r} in {region.code}", field="agency")
        return "agency", agency_partition(region.code, known.code)
    return "stage", stage_partition(queue, region.code)


def _local_date(name: str) -> date | None:
    raw = query_param(bp.current_request, name)
    if raw is None:
        return None
    try:
        return calendar_date(raw)
    except ValueError as error:
        raise ValidationError(f"{name} {error}", field=name) from None


@dataclass(frozen=True)
class _QueuePage:
    queue: Queue
    region: Region
    partition: str
    items: list[dict]
    cursor: str | None
    now: datetime


def _queue_page(queue: str, default_limit: int) -> _QueuePage:
    """One page of a queue as the caller may see it, narrowed by `?category=`,
    `?received_from=` and `?received_to=` (local dates), each item with its
    deadline block."""
    request = bp.current_request
    actor = staff_actor(request)
    try:
        wanted = Queue(queue)
    except ValueError:
        raise NotFoundError(
            f"no queue {queue!r}; queues are {', '.join(q.value for q in Queue)}"
        ) from None
    region_code = (
        actor.region
        if actor.role is not Role.ADMIN_PUSAT
        else (query_param(request, "region") or wiring.settings().default_region)
    )
    region = wiring.regions().get(region_code)
    index, partition = _queue_partition(wanted, actor, region, query_param(request, "agency"))
    narrowed = queue_filter(
        region,
        category=query_param(request, "category"),
        received_from=_local_date("received_from"),
        received_to=_local_date("received_to"),
    )
    page = wiring.complaints().queue_page(
        index,
        partition,
        limit=int_param(request, "limit", default=default_limit, low=1, high=100),
        cursor=query_param(request, "cursor"),
        narrowed=narrowed,
    )
    now = wiring.now()
    calendars: dict[str, WorkingCalendar] = {}
    items = [_view(c, actor, calendars=calendars, queue=wanted, now=now) for c in page.items]
    return _QueuePage(wanted, region, partition, items, page.cursor, now)


@bp.route("/staff/queues/{queue}", methods=["GET"])
@handled
def queue(queue: str):
    page = _queue_page(queue, default_limit=20)
    return {
        "queue": page.queue.value,
        "region": page.region.code if page.queue is not Queue.TAKEOVER else None,
        "items": page.items,
        "cursor": page.cursor,
    }


@bp.route("/staff/queues/{queue}/export", methods=["GET"])
@handled
def export_queue(queue: str):
    """The same page as CSV, for spreadsheets; the next page's cursor is in the
    `X-Next-Cursor` header."""
    page = _queue_page(queue, default_limit=100)
    day = local_date(page.now, page.region.zone).isoformat()
    # saber-triage-tanggamus-..., saber-agency-tanggamus-PUPR-..., saber-takeover-...
    parts = page.partition.split("#")
    if parts[0] != page.queue.value:
        parts.insert(0, page.queue.value)
    name = "-".join(["saber", *parts, day])
    headers = {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": f'attachment; filename="{name}.csv"',
    }
    if page.cursor:
        headers["X-Next-Cursor"] = page.cursor
    return Response(exports.queue_csv(page.queue, page.items), status_code=200, headers=headers)


def _central_admin() -> Actor:
    actor = staff_actor(bp.current_request)
    if actor.role is not Role.ADMIN_PUSAT:
        raise PermissionDeniedError("only the central admin manages API keys")
    return actor


def _api_client_view(client: ApiClient) -> dict:
    return {
        "client": client.client,
        "key_id": client.key_id,
        "created_at": client.created_at.isoformat(timespec="seconds"),
        "created_by": client.created_by,
    }


@bp.route("/staff/api-keys", methods=["POST"])
@handled
def issue_api_key():
    """A new Open311 client key, shown only in this answer; only its hash is kept."""
    actor = _central_admin()
    request = body(bp.current_request, ApiClientRequest)
    key = new_api_key()
    client = wiring.api_clients().add(
        hash_api_key(key), request.client, wiring.now(), actor.subject
    )
    return Response(_api_client_view(client) | {"api_key": key}, status_code=201)


@bp.route("/staff/api-keys", methods=["GET"])
@handled
def list_api_keys():
    _central_admin()
    return {"clients": [_api_client_view(c) for c in wiring.api_clients().all()]}


@bp.route("/staff/inbound", methods=["GET"])
@handled
def inbound():
    """Inbound messages by outcome, oldest first, for the central admin: those that
    need a person (`needs_content`, `unmatched_reference`, `unreadable`, or still
    `received` after their handling stopped) and any other outcome."""
    request = bp.current_request
    actor = staff_actor(request)
    if actor.role is not Role.ADMIN_PUSAT:
        raise PermissionDeniedError("inbound messages are for the central admin")
    raw = query_param(request, "outcome") or Outcome.RECEIVED.value
    try:
        outcome = Outcome(raw)
    except ValueError:
        known = ", ".join(o.value for o in Outcome)
        raise ValidationError(f"outcome must be one of {known}", field="outcome") from None
    page = wiring.inbox().repo.page(
        outcome,
        limit=int_param(request, "limit", default=20, low=1, high=100),
        cursor=query_param(request, "cursor"),
    )
    linked = {m.tracking_id for m in page.items if m.tracking_id}
    anonymous = {
        tid for tid in linked if (c := wiring.complaints().get(tid)) is not None and c.anonymous
    }
    return {
        "outcome": outcome.value,
        "items": [views.inbound_view(m, m.tracking_id in anonymous) for m in page.items],
        "cursor": page.cursor,
    }


@bp.route("/staff/inbound/{key}/attach", methods=["POST"])
@handled
def attach_inbound(key: str):
    """The central admin attaches a message the service could not place to the
    complaint it belongs to; its text is recorded on that complaint once."""
    actor = staff_actor(bp.current_request)
    if actor.role is not Role.ADMIN_PUSAT:
        raise PermissionDeniedError("inbound messages are for the central admin")
    request = body(bp.current_request, AttachRequest)
    tracking_id = normalize_tracking_id(request.tracking_id)
    if tracking_id is None:
        raise ValidationError(f"{request.tracking_id!r} is not a tracking ID", field="tracking_id")
    message = attach_message(
        wiring.inbox(), wiring.complaints(), unquote(key), tracking_id, actor, wiring.now()
    )
    return views.inbound_view(message)
