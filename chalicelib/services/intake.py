"""Filing a complaint (any channel): validate, give it a tracking ID and an
access code, start its clock at receipt, and make retries harmless."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta

from chalicelib.domain.calendar import WorkingCalendar, local_date
from chalicelib.domain.complaint import Complaint, EscalationLevel, Event, Reporter, Status
from chalicelib.domain.errors import IdempotencyKeyReusedError, ValidationError
from chalicelib.domain.escalation import EscalationPolicy
from chalicelib.domain.region import Region
from chalicelib.services.secrets import IdFactory, hash_access_code
from chalicelib.services.views import deadlines_view, instant
from chalicelib.storage.complaints import (
    ComplaintRepository,
    IdempotencyClaim,
    IdempotencyKeyTakenError,
    TrackingIdTakenError,
)

_TRACKING_ID_ATTEMPTS = 5


@dataclass(frozen=True)
class NewComplaint:
    title: str
    description: str
    reporter: Reporter
    anonymous: bool = False
    confidential: bool = False
    category: str | None = None
    location: str | None = None
    channel: str = "web"
    # What the channel sent beyond the complaint (e.g. Open311 attributes), by
    # name; recorded on the received event.
    channel_details: tuple[tuple[str, tuple[str, ...]], ...] = ()
    region_unknown: bool = False


def request_fingerprint(region: str, new: NewComplaint) -> str:
    """Equal for the same complaint however its JSON was spelled."""
    canonical = json.dumps({"region": region, **asdict(new)}, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def file_complaint(
    new: NewComplaint,
    *,
    region: Region,
    now: datetime,
    calendar: WorkingCalendar,
    policy: EscalationPolicy,
    repo: ComplaintRepository,
    ids: IdFactory,
    idempotency_key: str | None = None,
    idempotency_ttl: timedelta = timedelta(hours=24),
) -> dict:
    """File `new` and return the answer for the reporter (shown once, with the
    access code). The same Idempotency-Key returns the first answer again."""
    if new.category is not None:
        try:
            new = replace(new, category=region.category_code(new.category))
        except ValueError:
            raise ValidationError(
                f"category {new.category!r} is not one of {region.code}'s; "
                f"GET /regions/{region.code}/agencies lists them",
                field="category",
            ) from None
    fingerprint = request_fingerprint(region.code, new)
    for _ in range(_TRACKING_ID_ATTEMPTS):
        access_code = ids.access_code()
        complaint = Complaint(
            tracking_id=ids.tracking_id(region.tracking_prefix),
            region=region.code,
            channel=new.channel,
            status=Status.RECEIVED,
            escalation=EscalationLevel.NONE,
            received_at=now,
            clock_started_at=now,
            clock_start_date=local_date(now, region.zone),
            updated_at=now,
            title=new.title,
            description=new.description,
            reporter=new.reporter,
            access_code_hash=hash_access_code(access_code),
            anonymous=new.anonymous,
            confidential=new.confidential,
            region_unknown=new.region_unknown,
            category=new.category,
            location=new.location,
        )
        answer = {
            "tracking_id": complaint.tracking_id,
            "access_code": access_code,
            "status": complaint.status.value,
            "received_at": instant(now, region.zone),
            "deadlines": deadlines_view(complaint, region, calendar, policy),
        }
        claim = None
        if idempotency_key:
            claim = IdempotencyClaim(
                key=f"complaints:{idempotency_key}",
                request_hash=fingerprint,
                response=answer,
                expires_at=now + idempotency_ttl,
            )
        event = Event(
            type="received",
            at=now,
            actor=f"reporter:{new.channel}",
            role="reporter",
            data={"channel": new.channel}
            | ({"details": dict(new.channel_details)} if new.channel_details else {}),
        )
        try:
            repo.add(complaint, event, claim)
            return answer
        except IdempotencyKeyTakenError:
            return _replay(repo, f"complaints:{idempotency_key}", fingerprint)
        except TrackingIdTakenError:
            continue
    raise RuntimeError("could not find a free tracking ID")


def _replay(repo: ComplaintRepository, key: str, fingerprint: str) -> dict:
    stored = repo.stored_response(key)
    if stored is None:  # expired between the two requests: cannot happen within the TTL
        raise IdempotencyKeyReusedError("the Idempotency-Key expired; send a new one")
    if stored.request_hash != fingerprint:
        raise IdempotencyKeyReusedError(
            "this Idempotency-Key was already used for a different complaint",
            field="Idempotency-Key",
        )
    return stored.response
