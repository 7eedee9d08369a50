"""Inbound messages on DynamoDB: each gateway delivery stored before it is read,
claimed with conditional writes so a message is handled once however often it
arrives."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from pynamodb.connection import Connection
from pynamodb.exceptions import PutError, TransactWriteError, UpdateError
from pynamodb.transactions import TransactWrite

from chalicelib.domain.inbound import InboundMessage, Outcome, Sender
from chalicelib.storage.conditions import condition_failed
from chalicelib.storage.models import DeliveryClaimItem, InboundItem
from chalicelib.storage.paging import decode_cursor, encode_cursor

_CLAIM_ATTEMPTS = 3


@dataclass(frozen=True)
class InboundPage:
    items: list[InboundMessage]
    cursor: str | None


class InboundRepository:
    def __init__(self, connection: Connection):
        self._connection = connection

    # -- writes -------------------------------------------------------------

    def store_first(self, message: InboundMessage, lease_until: datetime) -> bool:
        """Store a delivery, leased to the caller for handling; False if this gateway
        delivery is already stored."""
        item = _to_item(message)
        item.lease_until = lease_until
        try:
            item.save(condition=InboundItem.key.does_not_exist())
        except PutError as error:
            if condition_failed(error):
                return False
            raise
        return True

    def count_delivery(self, key: str, now: datetime) -> InboundMessage:
        """Record one more delivery of a stored message; return it as it now stands."""
        item = InboundItem(key=key)
        item.update(
            actions=[InboundItem.deliveries.add(1), InboundItem.last_delivery_at.set(now)],
            condition=InboundItem.key.exists(),
        )
        return _from_item(item)

    def take_over(self, key: str, now: datetime, lease: timedelta) -> bool:
        """Lease a message whose handling stopped (still `received`, lease expired)."""
        try:
            InboundItem(key=key).update(
                actions=[InboundItem.lease_until.set(now + lease)],
                condition=(InboundItem.outcome == Outcome.RECEIVED.value)
                & (InboundItem.lease_until.does_not_exist() | (InboundItem.lease_until < now)),
            )
        except UpdateError as error:
            if condition_failed(error):
                return False
            raise
        return True

    def release(self, key: str, detail: str) -> None:
        """Handling failed: say why, and let the next delivery take it over at once."""
        InboundItem(key=key).update(
            actions=[InboundItem.lease_until.remove(), InboundItem.detail.set(detail[:1000])]
        )

    def claim_content(
        self, claim: str, neighbours: tuple[str, ...], owner: str, now: datetime, ttl: timedelta
    ) -> str:
        """Claim a content key for `owner` unless it or a neighbour is taken; return
        the key of the message that holds the claim (`owner` itself when it won)."""
        for _ in range(_CLAIM_ATTEMPTS):
            try:
                with TransactWrite(connection=self._connection) as transaction:
                    transaction.save(
                        DeliveryClaimItem(
                            key=claim, owner=owner, created_at=now, expires_at=now + ttl
                        ),
                        condition=DeliveryClaimItem.key.does_not_exist(),
                    )
                    for other in neighbours:
                        transaction.condition_check(
                            DeliveryClaimItem,
                            other,
                            condition=DeliveryClaimItem.key.does_not_exist(),
                        )
                return owner
            except TransactWriteError:
                holder = self._claim_holder((claim, *neighbours))
                if holder is not None:
                    return holder
        raise RuntimeError(f"could not claim {claim}")

    def _claim_holder(self, keys: tuple[str, ...]) -> str | None:
        for key in keys:
            try:
                return DeliveryClaimItem.get(key, consistent_read=True).owner
            except DeliveryClaimItem.DoesNotExist:
                continue
        return None

    def finish(
        self,
        key: str,
        outcome: Outcome,
        now: datetime,
        *,
        tracking_id: str | None = None,
        detail: str | None = None,
        duplicate_of: str | None = None,
    ) -> None:
        actions = [
            InboundItem.outcome.set(outcome.value),
            InboundItem.handled_at.set(now),
            InboundItem.lease_until.remove(),
        ]
        for attribute, value in (
            (InboundItem.tracking_id, tracking_id),
            (InboundItem.detail, detail),
            (InboundItem.duplicate_of, duplicate_of),
        ):
            if value is not None:
                actions.append(attribute.set(value))
        InboundItem(key=key).update(actions=actions)

    # -- reads --------------------------------------------------------------

    def get(self, key: str) -> InboundMessage | None:
        try:
            return _from_item(InboundItem.get(key, consistent_read=True))
        except InboundItem.DoesNotExist:
            return None

    def page(self, outcome: Outcome, limit: int, cursor: str | None) -> InboundPage:
        """One page of the messages with `outcome`, oldest first."""
        keys = {"key", "received_at", "outcome"}
        start = decode_cursor(cursor, keys, "outcome", outcome.value) if cursor else None
        results = InboundItem.by_outcome.query(outcome.value, limit=limit, last_evaluated_key=start)
        items = [_from_item(i) for i in results]
        last = results.last_evaluated_key
        return InboundPage(items, encode_cursor(last) if last else None)


def _to_item(m: InboundMessage) -> InboundItem:
    return InboundItem(
        key=m.key,
        source=m.source,
        channel=m.channel,
        gateway_message_id=m.gateway_message_id,
        sender_raw=m.sender.raw,
        sender=m.sender.canonical,
        sender_ambiguous=m.sender.ambiguous,
        destination=m.destination,
        body=m.body,
        payload=m.payload,
        received_at=m.received_at,
        outcome=m.outcome.value,
        tracking_id=m.tracking_id,
        detail=m.detail,
        duplicate_of=m.duplicate_of,
        deliveries=m.deliveries,
    )


def _from_item(item: InboundItem) -> InboundMessage:
    return InboundMessage(
        source=item.source,
        channel=item.channel,
        gateway_message_id=item.gateway_message_id,
        sender=Sender(item.sender_raw, item.sender, bool(item.sender_ambiguous)),
        body=item.body,
        received_at=item.received_at,
        destination=item.destination,
        payload=item.payload,
        outcome=Outcome(item.outcome),
        tracking_id=item.tracking_id,
        detail=item.detail,
        duplicate_of=item.duplicate_of,
        deliveries=int(item.deliveries),
    )
