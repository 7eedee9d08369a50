"""Outgoing messages: stored first, then sent by a worker that retries with
exponential backoff and gives up after a number of attempts, keeping the message
as failed so an admin can see it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # gave up after the last attempt; kept


@dataclass(frozen=True)
class OutboxMessage:
    id: str  # derived from what caused it, so enqueuing twice stores it once
    channel: str
    to: str
    text: str
    purpose: str  # acknowledgement, content_request, status, reply_received, unknown_reference
    created_at: datetime
    tracking_id: str | None = None
    inbound_key: str | None = None
    status: OutboxStatus = OutboxStatus.PENDING
    attempts: int = 0
    next_attempt_at: datetime | None = None
    sent_at: datetime | None = None
    last_error: str | None = None


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 6
    first_delay: timedelta = timedelta(minutes=1)
    longest_delay: timedelta = timedelta(hours=1)
    # A claimed message is due again after this, in case its worker died mid-send.
    claim_lease: timedelta = timedelta(minutes=5)

    def next_attempt(self, attempts: int, now: datetime) -> datetime | None:
        """When to try again after `attempts` failed tries, or None to give up.

        Delays double from `first_delay` (1, 2, 4, 8 ... minutes) up to `longest_delay`.
        """
        if attempts >= self.max_attempts:
            return None
        delay = min(self.first_delay * 2 ** max(attempts - 1, 0), self.longest_delay)
        return now + delay


DEFAULT_RETRY = RetryPolicy()


def outbox_id(cause: str, purpose: str) -> str:
    """One message per cause (e.g. an inbound message) and purpose."""
    return f"{cause}#{purpose}"
