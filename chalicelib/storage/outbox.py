"""The outbox on DynamoDB. Each message is stored once (its ID says what caused
it), read by the worker through a sparse index of pending messages by due time,
and claimed with a conditional update before it is sent, so two workers never
send the same message."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from pynamodb.exceptions import PutError, UpdateError

from chalicelib.domain.outbox import OutboxMessage, OutboxStatus
from chalicelib.storage.conditions import condition_failed
from chalicelib.storage.models import OutboxItem


def pending_item(message: OutboxMessage) -> OutboxItem:
    """A message as stored when it is queued: pending, due at once unless it says when."""
    return OutboxItem(
        id=message.id,
        channel=message.channel,
        to=message.to,
        text=message.text,
        purpose=message.purpose,
        status=OutboxStatus.PENDING.value,
        attempts=0,
        created_at=message.created_at,
        next_attempt_at=message.next_attempt_at or message.created_at,
        pending_queue=message.channel,
        tracking_id=message.tracking_id,
        inbound_key=message.inbound_key,
    )


class OutboxRepository:
    def enqueue(self, message: OutboxMessage) -> bool:
        """Store a pending message, due at once; False if it was already stored."""
        item = pending_item(message)
        try:
            item.save(condition=OutboxItem.id.does_not_exist())
        except PutError as error:
            if condition_failed(error):
                return False
            raise
        return True

    def due(self, channel: str, now: datetime, limit: int) -> Iterator[OutboxMessage]:
        """Pending messages of a channel due at `now`, the longest waiting first."""
        for item in OutboxItem.pending.query(
            channel, OutboxItem.next_attempt_at <= now, limit=limit
        ):
            yield _from_item(item)

    def claim(
        self, message: OutboxMessage, worker: str, now: datetime, lease_until: datetime
    ) -> OutboxMessage | None:
        """Take a due message for one send attempt; None if another worker took it
        (or it changed) since it was read. The attempt is counted now, so a worker
        that dies mid-send still uses one up."""
        item = OutboxItem(id=message.id)
        try:
            item.update(
                actions=[
                    OutboxItem.attempts.add(1),
                    OutboxItem.next_attempt_at.set(lease_until),
                    OutboxItem.claimed_by.set(worker),
                ],
                condition=(OutboxItem.status == OutboxStatus.PENDING.value)
                & (OutboxItem.next_attempt_at == message.next_attempt_at)
                & (OutboxItem.next_attempt_at <= now),
            )
        except UpdateError as error:
            if condition_failed(error):
                return None
            raise
        return _from_item(item)

    def mark_sent(
        self, message_id: str, worker: str, now: datetime, provider_id: str | None
    ) -> bool:
        actions = [
            OutboxItem.status.set(OutboxStatus.SENT.value),
            OutboxItem.sent_at.set(now),
            OutboxItem.pending_queue.remove(),
            OutboxItem.next_attempt_at.remove(),
        ]
        if provider_id:
            actions.append(OutboxItem.provider_message_id.set(provider_id))
        return self._finish_attempt(message_id, worker, actions)

    def mark_failed_attempt(
        self, message_id: str, worker: str, error: str, retry_at: datetime | None
    ) -> bool:
        """Due again at `retry_at`, or failed for good (kept, no longer pending)."""
        actions = [OutboxItem.last_error.set(error[:1000])]
        if retry_at is None:
            actions += [
                OutboxItem.status.set(OutboxStatus.FAILED.value),
                OutboxItem.pending_queue.remove(),
                OutboxItem.next_attempt_at.remove(),
            ]
        else:
            actions.append(OutboxItem.next_attempt_at.set(retry_at))
        return self._finish_attempt(message_id, worker, actions)

    @staticmethod
    def _finish_attempt(message_id: str, worker: str, actions: list) -> bool:
        """Record an attempt's result; False if the claim lapsed and another worker
        holds the message now (its result will be recorded by that worker)."""
        try:
            OutboxItem(id=message_id).update(
                actions=actions, condition=OutboxItem.claimed_by == worker
            )
        except UpdateError as error:
            if condition_failed(error):
                return False
            raise
        return True

    def get(self, message_id: str) -> OutboxMessage | None:
        try:
            return _from_item(OutboxItem.get(message_id, consistent_read=True))
        except OutboxItem.DoesNotExist:
            return None


def _from_item(item: OutboxItem) -> OutboxMessage:
    return OutboxMessage(
        id=item.id,
        channel=item.channel,
        to=item.to,
        text=item.text,
        purpose=item.purpose,
        created_at=item.created_at,
        tracking_id=item.tracking_id,
        inbound_key=item.inbound_key,
        status=OutboxStatus(item.status),
        attempts=int(item.attempts),
        next_attempt_at=item.next_attempt_at,
        sent_at=item.sent_at,
        last_error=item.last_error,
    )
