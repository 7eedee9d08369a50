"""Messages that tell a reporter about a change of their complaint. They are queued
in the outbox in the same transaction as the change (`save_change(notices=...)`),
and sent by SMS when the reporter gave a phone number; reporters without one read
the change in their own view of the complaint."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from chalicelib.domain.complaint import Complaint
from chalicelib.domain.messages import compose
from chalicelib.domain.outbox import OutboxMessage


def to_reporter(
    before: Complaint, purpose: str, parts: list[str], now: datetime
) -> tuple[OutboxMessage, ...]:
    """One SMS to the reporter about the change made to `before`; none without a
    phone. Its ID names the change (tracking ID and new version), so it is queued once."""
    phone = before.reporter.phone
    if not phone or before.version is None:
        return ()
    return (
        OutboxMessage(
            id=f"{before.tracking_id}#{before.version + 1}#{purpose}",
            channel="sms",
            to=phone,
            text=compose(parts[:1], parts[1:]),
            purpose=purpose,
            created_at=now,
            tracking_id=before.tracking_id,
        ),
    )


def to_duplicates(
    master: Complaint,
    duplicates: Sequence[Complaint],
    purpose: str,
    parts: Callable[[str], list[str]],
    now: datetime,
) -> tuple[OutboxMessage, ...]:
    """One SMS to the reporter of each duplicate of `master` about the change made
    to the master, under the duplicate's own tracking ID (the one they know). Its ID
    names the master's change, so it is queued once."""
    if master.version is None:
        return ()
    return tuple(
        OutboxMessage(
            id=f"{d.tracking_id}#{master.tracking_id}#{master.version + 1}#{purpose}",
            channel="sms",
            to=d.reporter.phone,
            text=compose(parts(d.tracking_id)[:1], parts(d.tracking_id)[1:]),
            purpose=purpose,
            created_at=now,
            tracking_id=d.tracking_id,
        )
        for d in duplicates
        if d.reporter.phone
    )


def to_staff(
    before: Complaint,
    purpose: str,
    numbers: Sequence[str],
    text: str,
    now: datetime,
    not_before: datetime,
) -> tuple[OutboxMessage, ...]:
    """One SMS to each staff number about the change made to `before`, sent from
    `not_before` (the next office hour). The text names the complaint, never its
    reporter. Its ID names the change and the number, so it is queued once."""
    if before.version is None:
        return ()
    return tuple(
        OutboxMessage(
            id=f"{before.tracking_id}#{before.version + 1}#{purpose}#{number}",
            channel="sms",
            to=number,
            text=text,
            purpose=purpose,
            created_at=now,
            tracking_id=before.tracking_id,
            next_attempt_at=max(now, not_before),
        )
        for number in dict.fromkeys(numbers)
    )
