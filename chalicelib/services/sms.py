"""SMS to 1708, whichever gateway delivered it: stored, read, and turned into a
new complaint, a reply on the sender's own complaint, a status answer, or a
request for the missing content. Every answer goes through the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from chalicelib.domain.calendar import local_date
from chalicelib.domain.complaint import Complaint, Event, Reporter, Status
from chalicelib.domain.errors import ConflictError
from chalicelib.domain.escalation import deadlines
from chalicelib.domain.inbound import InboundMessage, Outcome
from chalicelib.domain.messages import (
    acknowledgement,
    content_request,
    reply_received,
    status_reply,
    unknown_reference,
)
from chalicelib.domain.outbox import OutboxMessage, outbox_id
from chalicelib.domain.sms import SmsIntent, SmsReading, duplicate_keys, parse_sms, reply_kind
from chalicelib.services.casework import Casework
from chalicelib.services.inbox import Filing, Handled, Inbox, Receipt, record_on_complaint
from chalicelib.storage.outbox import OutboxRepository


@dataclass(frozen=True)
class SmsIntake:
    inbox: Inbox
    filing: Filing
    outbox: OutboxRepository
    short_number: str

    def receive(self, message: InboundMessage, now: datetime) -> Receipt:
        return self.inbox.receive(message, now, lambda m: self._handle(m, now), _content_key)

    def _handle(self, message: InboundMessage, now: datetime) -> Handled:
        regions = self.filing.regions
        reading = parse_sms(message.body, regions.keywords())
        if reading.intent in (SmsIntent.COMPLAINT, SmsIntent.NO_KEYWORD):
            reporter = Reporter(phone_raw=message.sender.raw, phone=message.sender.canonical)
            answer = self.filing.file(message, reading, reporter)
            tracking_id = answer["tracking_id"]
            text = acknowledgement(
                tracking_id,
                answer["access_code"],
                self.short_number,
                region_named=reading.region is not None,
            )
            self._answer(message, "acknowledgement", text, now, tracking_id)
            return Handled(Outcome.FILED, tracking_id)
        if reading.intent is SmsIntent.NEEDS_CONTENT:
            keywords = regions.get(reading.region).sms_keywords if reading.region else ()
            text = content_request(self.short_number, keywords[0] if keywords else None)
            self._answer(message, "content_request", text, now)
            return Handled(Outcome.NEEDS_CONTENT)
        complaints = self.filing.complaints
        complaint = complaints.get(reading.tracking_id) if reading.tracking_id else None
        if (
            reading.intent is SmsIntent.REPLY
            and complaint is not None
            and _is_reporter(message, complaint)
        ):
            if complaint.status in (Status.NEEDS_INFO, Status.RESOLVED):
                self._answer_on(complaint, message, reading.text, now)
            else:
                event = Event(
                    type="reporter_message",
                    at=now,
                    actor=f"reporter:{message.channel}",
                    role="reporter",
                    data={"channel": message.channel, "text": reading.text},
                )
                record_on_complaint(complaints, complaint.tracking_id, event, now, message.key)
            text = reply_received(complaint.tracking_id)
            self._answer(message, "reply_received", text, now, complaint.tracking_id)
            return Handled(Outcome.REPLY, complaint.tracking_id)
        return self._status(message, reading, complaint, now)

    def _answer_on(
        self, complaint: Complaint, message: InboundMessage, text: str, now: datetime
    ) -> None:
        """The reporter answers by SMS what the service asked: the missing
        information, or their verdict on a resolution. Recorded once per message."""
        complaints = self.filing.complaints
        events = complaints.events(complaint.tracking_id)
        if any(e.data.get("inbound") == message.key for e in events):
            return
        casework = Casework(complaints, self.filing.regions.get, self.filing.calendar_for)
        awaiting = complaint.status is Status.RESOLVED
        kind = reply_kind(text, complaint.tracking_id, awaiting_answer=awaiting)
        try:
            casework.reporter_reply(complaint, kind, text, now, cause=message.key)
        except ConflictError:  # the window closed: keep what they said all the same
            event = Event(
                type="reporter_message",
                at=now,
                actor=f"reporter:{message.channel}",
                role="reporter",
                data={"channel": message.channel, "text": text},
            )
            record_on_complaint(complaints, complaint.tracking_id, event, now, message.key)

    def _status(
        self,
        message: InboundMessage,
        reading: SmsReading,
        complaint: Complaint | None,
        now: datetime,
    ) -> Handled:
        """The status of a complaint anyone may follow by its ID; a confidential one
        only for its reporter. Otherwise the same answer as for an unknown ID, so the
        answer never tells whether a complaint exists."""
        if complaint is None or (complaint.confidential and not _is_reporter(message, complaint)):
            text = unknown_reference(reading.quoted_id, self.short_number)
            self._answer(message, "unknown_reference", text, now)
            return Handled(Outcome.UNMATCHED_REFERENCE, detail=reading.quoted_id or "no ID")
        text = self._status_text(complaint, now)
        self._answer(message, "status", text, now, complaint.tracking_id)
        if reading.intent is SmsIntent.REPLY:  # a reply from another number is not added
            return Handled(
                Outcome.UNMATCHED_REFERENCE, complaint.tracking_id, "not the reporter's number"
            )
        return Handled(Outcome.STATUS_QUERY, complaint.tracking_id)

    def _status_text(self, complaint: Complaint, now: datetime) -> str:
        region = self.filing.regions.get(complaint.region)
        calendar = self.filing.calendar_for(region)
        due = left = None
        if complaint.clock_running:
            due = deadlines(
                complaint.clock_start_date, calendar, region.zone, self.filing.policy
            ).follow_up_due.due
            left = calendar.working_days_left(local_date(now, region.zone), due)
        return status_reply(
            complaint.tracking_id,
            complaint.status,
            complaint.escalation,
            complaint.agency,
            due,
            left,
        )

    def _answer(
        self,
        message: InboundMessage,
        purpose: str,
        text: str,
        now: datetime,
        tracking_id: str | None = None,
    ) -> None:
        self.outbox.enqueue(
            OutboxMessage(
                id=outbox_id(message.key, purpose),
                channel="sms",
                to=message.sender.address,
                text=text,
                purpose=purpose,
                created_at=now,
                tracking_id=tracking_id,
                inbound_key=message.key,
            )
        )


def _is_reporter(message: InboundMessage, complaint: Complaint) -> bool:
    """Only the reporter's own, certainly read, number speaks for a complaint."""
    sender = message.sender.canonical
    return sender is not None and sender == complaint.reporter.phone


def _content_key(message: InboundMessage) -> tuple[str, tuple[str, str]]:
    """Gateways re-send an SMS under a new ID: the same text from the same number
    within the duplicate window is the same message."""
    return duplicate_keys(message.sender.address, message.body, message.received_at)
