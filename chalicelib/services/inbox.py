"""The one pipeline every inbound message goes through, whatever its channel.

1. The delivery is stored exactly as received, conditional on its gateway ID
   being new, before anything reads it. A repeated delivery is counted on the
   stored one and changes nothing else.
2. A text that gateways may re-send under a new ID claims a content key (sender,
   text, time window) with a conditional write; a copy that loses the claim is
   stored as a duplicate of the first.
3. Only the delivery holding both claims is handled, and every side effect of
   handling is idempotent (keyed by the message), so a delivery whose handling
   was interrupted can be taken over by a redelivery without doing anything twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from chalicelib.domain.access import Actor
from chalicelib.domain.calendar import WorkingCalendar
from chalicelib.domain.complaint import Event, Reporter, clip_description
from chalicelib.domain.errors import AlreadyHandledError, NotFoundError, ValidationError
from chalicelib.domain.escalation import EscalationPolicy
from chalicelib.domain.inbound import ATTACHABLE, HANDLING_LEASE, InboundMessage, Outcome
from chalicelib.domain.region import Region
from chalicelib.domain.sms import SmsReading, title_from
from chalicelib.services.intake import NewComplaint, file_complaint
from chalicelib.services.regions import RegionDirectory
from chalicelib.services.secrets import IdFactory
from chalicelib.storage.complaints import ComplaintRepository, StaleVersionError
from chalicelib.storage.inbound import InboundRepository

CONTENT_CLAIM_TTL = timedelta(days=2)  # far beyond any window; the table's TTL removes them
_CHANGE_ATTEMPTS = 5


@dataclass(frozen=True)
class Handled:
    outcome: Outcome
    tracking_id: str | None = None
    detail: str | None = None


@dataclass(frozen=True)
class Receipt:
    """What became of one delivery, as told to the gateway."""

    key: str
    outcome: Outcome
    duplicate: bool
    tracking_id: str | None = None

    def as_dict(self) -> dict:
        return {
            "id": self.key,
            "outcome": self.outcome.value,
            "duplicate": self.duplicate,
            "tracking_id": self.tracking_id,
        }


Handler = Callable[[InboundMessage], Handled]
# The content key a message claims and the neighbouring keys it must not find taken.
ContentKey = Callable[[InboundMessage], tuple[str, tuple[str, str]]]


@dataclass(frozen=True)
class Inbox:
    repo: InboundRepository
    lease: timedelta = HANDLING_LEASE

    def receive(
        self,
        message: InboundMessage,
        now: datetime,
        handle: Handler,
        content_key: ContentKey | None = None,
    ) -> Receipt:
        if self.repo.store_first(message, lease_until=now + self.lease):
            return self._handle(message, now, handle, content_key)
        stored = self.repo.count_delivery(message.key, now)
        if stored.outcome is Outcome.RECEIVED and self.repo.take_over(message.key, now, self.lease):
            return self._handle(stored, now, handle, content_key)
        return self._duplicate(stored)

    def _duplicate(self, stored: InboundMessage) -> Receipt:
        """A repeat: its receipt names the complaint of the first delivery, if any yet."""
        first = self.repo.get(stored.duplicate_of) if stored.duplicate_of else stored
        return Receipt(
            stored.key,
            Outcome.DUPLICATE if stored.duplicate_of else stored.outcome,
            duplicate=True,
            tracking_id=first.tracking_id if first else None,
        )

    def keep_unreadable(self, message: InboundMessage, reason: str, now: datetime) -> Receipt:
        """A delivery no channel can read: stored as received, for an admin."""
        return self.receive(message, now, lambda m: Handled(Outcome.UNREADABLE, detail=reason))

    def _handle(
        self,
        message: InboundMessage,
        now: datetime,
        handle: Handler,
        content_key: ContentKey | None,
    ) -> Receipt:
        if content_key:
            claim, neighbours = content_key(message)
            owner = self.repo.claim_content(claim, neighbours, message.key, now, CONTENT_CLAIM_TTL)
            if owner != message.key:
                self.repo.finish(message.key, Outcome.DUPLICATE, now, duplicate_of=owner)
                return self._duplicate(replace(message, duplicate_of=owner))
        try:
            handled = handle(message)
        except Exception as error:
            # Kept as `received`, with the reason, for a redelivery or an admin to take over.
            self.repo.release(message.key, f"{type(error).__name__}: {error}")
            raise
        self.repo.finish(
            message.key,
            handled.outcome,
            now,
            tracking_id=handled.tracking_id,
            detail=handled.detail,
        )
        return Receipt(
            message.key, handled.outcome, duplicate=False, tracking_id=handled.tracking_id
        )


def record_on_complaint(
    repo: ComplaintRepository, tracking_id: str, event: Event, now: datetime, cause: str
) -> None:
    """Append `event` to a complaint without changing its state or its clock, once
    per `cause` (the inbound message), retrying when someone else changed it first."""
    event = replace(event, data={**event.data, "inbound": cause})
    for _ in range(_CHANGE_ATTEMPTS):
        complaint = repo.get(tracking_id)
        if complaint is None:
            raise LookupError(f"no complaint {tracking_id}")
        if any(e.data.get("inbound") == cause for e in repo.events(tracking_id)):
            return
        try:
            repo.save_change(complaint, complaint.changed(now), event)
            return
        except StaleVersionError:
            continue
    raise StaleVersionError(f"{tracking_id} kept changing; the event was not recorded")


@dataclass(frozen=True)
class Filing:
    """Files the complaint an inbound message carries, once per message however
    often it is handled (the message's key is the filing's idempotency key)."""

    complaints: ComplaintRepository
    regions: RegionDirectory
    calendar_for: Callable[[Region], WorkingCalendar]
    policy: EscalationPolicy
    ids: IdFactory
    default_region: str
    idempotency_ttl: timedelta

    def file(self, message: InboundMessage, reading: SmsReading, reporter: Reporter) -> dict:
        """The filing answer (tracking ID, access code). A message naming no region
        is filed under the default region, marked for the central admin to check."""
        region = self.regions.get(reading.region or self.default_region)
        new = NewComplaint(
            title=title_from(reading.content),
            description=clip_description(reading.content),
            reporter=reporter,
            channel=message.channel,
            region_unknown=reading.region is None,
        )
        return file_complaint(
            new,
            region=region,
            now=message.received_at,  # the clock starts at receipt, however late it is read
            calendar=self.calendar_for(region),
            policy=self.policy,
            repo=self.complaints,
            ids=self.ids,
            idempotency_key=f"inbound:{message.key}",
            idempotency_ttl=self.idempotency_ttl,
        )


def attach_message(
    inbox: Inbox,
    complaints: ComplaintRepository,
    key: str,
    tracking_id: str,
    actor: Actor,
    now: datetime,
) -> InboundMessage:
    """The central admin adds a stored message the service could not place (it
    quoted an unknown ID, or its handling stopped) to the complaint it belongs to:
    its text becomes an event on that complaint, once, and the message is marked
    attached. Attaching it again to the same complaint answers the same."""
    message = inbox.repo.get(key)
    if message is None:
        raise NotFoundError(f"no inbound message {key}")
    if message.outcome is Outcome.ATTACHED and message.tracking_id == tracking_id:
        return message
    if message.outcome not in ATTACHABLE:
        raise AlreadyHandledError(
            f"the message was already handled as {message.outcome.value}"
            + (f" ({message.tracking_id})" if message.tracking_id else "")
        )
    if not message.body.strip():
        raise AlreadyHandledError("the message has no text to attach")
    if complaints.get(tracking_id) is None:
        raise ValidationError(f"no complaint {tracking_id}", field="tracking_id")
    event = Event(
        type="reporter_message",
        at=now,
        actor=actor.subject,
        role=actor.role.value,
        data={"channel": message.channel, "text": message.body, "attached": True},
    )
    record_on_complaint(complaints, tracking_id, event, now, message.key)
    inbox.repo.finish(
        key, Outcome.ATTACHED, now, tracking_id=tracking_id, detail=f"attached by {actor.subject}"
    )
    return replace(message, outcome=Outcome.ATTACHED, tracking_id=tracking_id)
