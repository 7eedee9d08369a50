"""Open311 GeoReport v2 routes under /open311/v2. Each resource is served as
`.json` or `.xml`; errors use the specification's list of {code, description}.

Chalice path parameters are whole segments, so `discovery.json` arrives as one
`resource` and the format is split off here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pydantic
from chalice import Blueprint, Response

from chalicelib import wiring
from chalicelib.api.errors import pydantic_problem, status_for
from chalicelib.api.public import file_in, idempotency_key
from chalicelib.api.requests import int_param, query_param, raw_body
from chalicelib.channels import open311 as channel
from chalicelib.domain.complaint import Complaint
from chalicelib.domain.errors import (
    NotFoundError,
    PermissionDeniedError,
    SaberError,
    ValidationError,
)
from chalicelib.domain.open311 import is_listed, query_window, service, services, statuses_for
from chalicelib.domain.region import Region
from chalicelib.domain.tracking import normalize_tracking_id
from chalicelib.services import open311 as views
from chalicelib.services.secrets import hash_api_key

bp = Blueprint(__name__)

PREFIX = "/open311/v2"
FORM = "application/x-www-form-urlencoded"
DEFAULT_LIMIT, MAX_LIMIT = 50, 200

Answer = tuple[str, dict | list]  # XML root element and body


def _respond(resource: str, produce: Callable[[str], Answer]) -> Response:
    """Split the format off `resource`, produce the answer, and turn what the
    caller got wrong into the specification's error list in that format."""
    fmt = channel.format_of_path(resource)
    try:
        name, fmt = channel.split_format(resource)
        root, body = produce(name)
        return channel.render(fmt, root, body)
    except SaberError as problem:
        return channel.error(fmt, status_for(problem), problem.message)
    except pydantic.ValidationError as problem:
        return channel.error(fmt, 400, pydantic_problem(problem)[0])


def _region(jurisdiction_id: str | None) -> Region:
    """`jurisdiction_id` is the region code; absent or empty means the default."""
    return wiring.regions().get(jurisdiction_id or wiring.settings().default_region)


def _jurisdiction() -> Region:
    return _region(query_param(bp.current_request, "jurisdiction_id"))


def _listed(raw_id: str, region: Region) -> Complaint | None:
    canonical = normalize_tracking_id(raw_id)
    found = wiring.complaints().get(canonical) if canonical else None
    return found if found and is_listed(found, region.code) else None


def _request_views(complaints: list[Complaint], region: Region) -> list[dict]:
    calendar = wiring.calendar_for(region)
    return [views.request_view(c, region, calendar, wiring.policy()) for c in complaints]


def _csv(name: str) -> list[str]:
    raw = query_param(bp.current_request, name)
    return [v.strip() for v in raw.split(",") if v.strip()] if raw else []


def _instant(name: str, region: Region) -> datetime | None:
    """A W3C date-time; one without an offset is read in the region's zone."""
    raw = query_param(bp.current_request, name)
    if raw is None:
        return None
    try:
        value = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise ValidationError(
            f"{name} must be a W3C date-time such as 2025-03-27T09:00:00+07:00", field=name
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=region.zone)


# -- GET discovery, services, requests -------------------------------------------


def _discovery(_: str) -> Answer:
    context = bp.current_request.context or {}
    path = context.get("path", "")
    base = path[: path.find(PREFIX)] if PREFIX in path else ""
    host = bp.current_request.headers.get("host", "localhost")
    scheme = "http" if host.startswith(("127.0.0.1", "localhost")) else "https"
    url = f"{scheme}://{host}{base}{PREFIX}"
    return "discovery", views.discovery_view(url, wiring.settings().stage)


def _services(_: str) -> Answer:
    return "services", [views.service_view(s) for s in services(_jurisdiction())]


def _requests(_: str) -> Answer:
    """Requests by id (which overrides every other filter, as the specification
    says) or by window, service code and status, newest first."""
    region = _jurisdiction()
    request = bp.current_request
    limit = int_param(request, "limit", default=DEFAULT_LIMIT, low=1, high=MAX_LIMIT)
    ids = _csv("service_request_id")
    if ids:
        found = [c for c in (_listed(i, region) for i in ids[:MAX_LIMIT]) if c]
    else:
        window = query_window(
            _instant("start_date", region), _instant("end_date", region), wiring.now()
        )
        found = wiring.complaints().public_listing(
            region.code,
            window.start,
            window.end,
            statuses=statuses_for(_csv("status")),
            categories=frozenset(_csv("service_code")),
            limit=limit,
        )
    return "service_requests", _request_views(found, region)


_GET = {"discovery": _discovery, "services": _services, "requests": _requests}


def _unknown(name: str) -> Answer:
    raise NotFoundError(f"no resource {name!r}")


@bp.route(PREFIX + "/{resource}", methods=["GET"])
def get_resource(resource: str):
    return _respond(resource, lambda name: _GET.get(name, _unknown)(name))


@bp.route(PREFIX + "/services/{service_code}", methods=["GET"])
def get_service_definition(service_code: str):
    def produce(code: str) -> Answer:
        found = service(_jurisdiction(), code)
        if found is None:
            raise NotFoundError(f"no service {code!r}")
        return "service_definition", views.service_definition_view(found)

    return _respond(service_code, produce)


@bp.route(PREFIX + "/requests/{service_request_id}", methods=["GET"])
def get_request(service_request_id: str):
    """One request, as a one-element list."""

    def produce(raw_id: str) -> Answer:
        region = _jurisdiction()
        found = _listed(raw_id, region)
        if found is None:
            raise NotFoundError(f"no service request {raw_id!r}")
        return "service_requests", _request_views([found], region)

    return _respond(service_request_id, produce)


@bp.route(PREFIX + "/tokens/{token}", methods=["GET"])
def get_token(token: str):
    """A token is the tracking ID (requests are created synchronously)."""

    def produce(raw: str) -> Answer:
        found = _listed(raw, _jurisdiction())
        if found is None:
            raise NotFoundError(f"no token {raw!r}")
        return "service_requests", [views.token_view(found.tracking_id)]

    return _respond(token, produce)


# -- POST requests ---------------------------------------------------------------


def _create(name: str) -> Answer:
    if name != "requests":
        raise NotFoundError(f"cannot POST to {name!r}")
    request = bp.current_request
    form = channel.parse_form(raw_body(request))
    api_key = channel.field(form, "api_key")
    client = wiring.api_clients().by_key_hash(hash_api_key(api_key)) if api_key else None
    if client is None:
        raise PermissionDeniedError("api_key is missing or not valid")
    try:
        region = _region(channel.field(form, "jurisdiction_id"))
    except NotFoundError as problem:
        raise ValidationError(problem.message, field="jurisdiction_id") from None
    code = channel.field(form, "service_code")
    if code is None:
        raise ValidationError("service_code is required", field="service_code")
    chosen = service(region, code)
    if chosen is None:
        raise ValidationError(
            f"service_code {code!r} is not a service of {region.code}", field="service_code"
        )
    new = channel.new_complaint(form, chosen)
    key = idempotency_key(request)
    # Keys are scoped to the client, so two apps can never replay each other's answers.
    answer = file_in(region, new, f"open311:{client.key_id}:{key}" if key else None)
    return "service_requests", [views.created_view(answer)]


@bp.route(PREFIX + "/{resource}", methods=["POST"], content_types=[FORM])
def post_resource(resource: str):
    return _respond(resource, _create)
