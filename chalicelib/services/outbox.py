"""The outbox worker: send the messages that are due, each claimed first so two
workers never send one twice; a failed send is retried with backoff and, after
the last attempt, kept as failed."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Protocol

from chalicelib.domain.outbox import DEFAULT_RETRY, RetryPolicy
from chalicelib.storage.outbox import OutboxRepository

BATCH = 100  # messages per run; the next run, a minute later, takes the rest


class SmsSender(Protocol):
    def send(self, to: str, text: str) -> str | None:
        """Send one SMS; return the provider's message ID. Raise on failure."""
        ...


@dataclass
class OutboxSummary:
    now: str
    due: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    skipped_claimed: int = 0  # taken by another worker between read and claim

    def as_dict(self) -> dict:
        return asdict(self)


def deliver_outbox(
    *,
    now: datetime,
    repo: OutboxRepository,
    sender: SmsSender,
    policy: RetryPolicy = DEFAULT_RETRY,
    channel: str = "sms",
    limit: int = BATCH,
) -> OutboxSummary:
    summary = OutboxSummary(now=now.isoformat())
    worker = uuid.uuid4().hex
    for message in list(repo.due(channel, now, limit)):
        summary.due += 1
        claimed = repo.claim(message, worker, now, lease_until=now + policy.claim_lease)
        if claimed is None:
            summary.skipped_claimed += 1
            continue
        try:
            provider_id = sender.send(claimed.to, claimed.text)
        except Exception as error:  # any provider failure: retry later, never lose the message
            retry_at = policy.next_attempt(claimed.attempts, now)
            repo.mark_failed_attempt(
                claimed.id, worker, f"{type(error).__name__}: {error}", retry_at
            )
            if retry_at is None:
                summary.failed += 1
            else:
                summary.retrying += 1
            continue
        repo.mark_sent(claimed.id, worker, now, provider_id)
        summary.sent += 1
    return summary
