"""Public routes: file a complaint, look one up, list a region's agencies."""

from __future__ import annotations

from datetime import timedelta

from chalice import Blueprint, Response
from chalice.app import Request

from chalicelib import wiring
from chalicelib.api.errors import handled
from chalicelib.api.requests import body, query_param
from chalicelib.api.schemas import NewComplaintRequest, RatingRequest, ReplyRequest
from chalicelib.domain.complaint import Complaint
from chalicelib.domain.errors import NotFoundError, ValidationError
from chalicelib.domain.region import Region
from chalicelib.domain.tracking import normalize_tracking_id
from chalicelib.services import views
from chalicelib.services.intake import NewComplaint, file_complaint
from chalicelib.services.secrets import access_code_matches

bp = Blueprint(__name__)

IDEMPOTENCY_HEADER = "idempotency-key"


@bp.route("/", methods=["GET"])
def about():
    return {"service": "saber", "stage": wiring.settings().stage}


def idempotency_key(request: Request) -> str | None:
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is not None and not (1 <= len(key) <= 255 and key.isprintable()):
        raise ValidationError(
            "Idempotency-Key must be 1 to 255 printable characters", field="Idempotency-Key"
        )
    return key


def file_in(region: Region, new: NewComplaint, key: str | None) -> dict:
    """File through the one intake, with the service's clock and calendar."""
    return file_complaint(
        new,
        region=region,
        now=wiring.now(),
        calendar=wiring.calendar_for(region),
        policy=wiring.policy(),
        repo=wiring.complaints(),
        ids=wiring.ids(),
        idempotency_key=key,
        idempotency_ttl=timedelta(hours=wiring.settings().idempotency_ttl_hours),
    )


@bp.route("/complaints", methods=["POST"])
@handled
def post_complaint():
    request = bp.current_request
    filed = body(request, NewComplaintRequest)
    key = idempotency_key(request)
    try:
        region = wiring.regions().get(filed.region or wiring.settings().default_region)
    except NotFoundError as error:
        raise ValidationError(error.message, field="region") from None
    answer = file_in(region, filed.to_new_complaint(), key)
    return Response(
        answer, status_code=201, headers={"Location": f"/complaints/{answer['tracking_id']}"}
    )


def _reporters_complaint(tracking_id: str) -> Complaint:
    """The complaint whose access code the caller sent; without the right code,
    as if it did not exist."""
    canonical = normalize_tracking_id(tracking_id)
    complaint = wiring.complaints().get(canonical) if canonical else None
    code = bp.current_request.headers.get("x-access-code")
    if complaint is None or not code or not access_code_matches(code, complaint.access_code_hash):
        raise NotFoundError(f"no complaint {tracking_id} with this access code")
    return complaint


def _reporter_answer(complaint: Complaint) -> dict:
    region = wiring.regions().get(complaint.region)
    events = wiring.complaints().events(complaint.tracking_id)
    master = wiring.casework().master_of(complaint)
    return views.reporter_view(
        complaint, events, region, wiring.calendar_for(region), wiring.policy(), master
    )


@bp.route("/complaints/{tracking_id}/replies", methods=["POST"])
@handled
def reply(tracking_id: str):
    """The reporter confirms or disputes a resolution, or adds information."""
    complaint = _reporters_complaint(tracking_id)
    request = body(bp.current_request, ReplyRequest)
    done = wiring.casework().reporter_reply(
        complaint, request.kind, request.needed_text(), wiring.now(), request.version
    )
    return _reporter_answer(done)


@bp.route("/complaints/{tracking_id}/rating", methods=["POST"])
@handled
def rate(tracking_id: str):
    """The reporter rates the outcome, 1 to 4, once."""
    complaint = _reporters_complaint(tracking_id)
    request = body(bp.current_request, RatingRequest)
    done = wiring.casework().rate(complaint, request.rating, request.comment, wiring.now())
    return _reporter_answer(done)


@bp.route("/complaints/{tracking_id}", methods=["GET"])
@handled
def get_complaint(tracking_id: str):
    """The public summary; the reporter's access code unlocks their full view.
    A confidential complaint does not exist for anyone without the code."""
    canonical = normalize_tracking_id(tracking_id)
    complaint = wiring.complaints().get(canonical) if canonical else None
    if complaint is None:
        raise NotFoundError(f"no complaint {tracking_id}")
    region = wiring.regions().get(complaint.region)
    calendar = wiring.calendar_for(region)
    code = bp.current_request.headers.get("x-access-code")
    if code:
        if not access_code_matches(code, complaint.access_code_hash):
            raise NotFoundError(f"no complaint {tracking_id} with this access code")
        return _reporter_answer(complaint)
    if complaint.confidential:
        raise NotFoundError(f"no complaint {tracking_id}")
    master = wiring.casework().master_of(complaint)
    return views.public_view(complaint, region, calendar, wiring.policy(), master)


@bp.route("/regions/{region}/agencies", methods=["GET"])
@handled
def list_agencies(region: str):
    found = wiring.regions().get(region)
    category = query_param(bp.current_request, "category")
    agencies = [a for a in found.agencies if category is None or category in a.categories]
    return {
        "region": found.code,
        "agencies": [
            {"code": a.code, "name": a.name, "categories": list(a.categories)} for a in agencies
        ],
    }
