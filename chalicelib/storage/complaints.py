"""Complaint repository on DynamoDB.

Every change writes the whole new complaint, conditional on the version that was
read, together with its event, in one transaction: a change is recorded exactly
once or not at all, and two writers can never both win.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from pynamodb.connection import Connection
from pynamodb.exceptions import TransactWriteError
from pynamodb.expressions.condition import Condition
from pynamodb.transactions import TransactWrite

from chalicelib.domain.audit import GENESIS, event_digest
from chalicelib.domain.complaint import (
    Closure,
    Complaint,
    EscalationLevel,
    Event,
    Reporter,
    Status,
)
from chalicelib.domain.errors import ConflictError, StaleVersionError, ValidationError
from chalicelib.domain.escalation import EscalationPolicy
from chalicelib.domain.outbox import OutboxMessage
from chalicelib.domain.queues import (
    QueueFilter,
    Timer,
    clock_partition,
    public_feed,
    queue_keys,
    timer_partition,
)
from chalicelib.storage.models import ComplaintItem, EventItem, IdempotencyItem, ReporterAttribute
from chalicelib.storage.outbox import pending_item
from chalicelib.storage.paging import decode_cursor, encode_cursor


class TrackingIdTakenError(ConflictError):
    code = "tracking_id_taken"


class IdempotencyKeyTakenError(ConflictError):
    code = "idempotency_key_taken"


@dataclass(frozen=True)
class IdempotencyClaim:
    key: str
    request_hash: str
    response: dict
    expires_at: datetime


@dataclass(frozen=True)
class StoredResponse:
    request_hash: str
    tracking_id: str
    response: dict


@dataclass(frozen=True)
class Page:
    items: list[Complaint]
    cursor: str | None


class ComplaintRepository:
    def __init__(self, connection: Connection, policy: EscalationPolicy):
        self._connection = connection
        self._policy = policy

    # -- writes -------------------------------------------------------------

    def add(self, complaint: Complaint, event: Event, claim: IdempotencyClaim | None) -> Complaint:
        """Store a new complaint with its first event and, when the caller sent an
        Idempotency-Key, the answer to replay: one request to DynamoDB."""
        first = self._event_item(complaint.tracking_id, 1, event, GENESIS)
        item = self._to_item(complaint)
        item.event_head = first.hash
        try:
            with TransactWrite(connection=self._connection) as transaction:
                transaction.save(item)  # version condition: the tracking ID must be new
                transaction.save(first)
                if claim:
                    transaction.save(
                        IdempotencyItem(
                            key=claim.key,
                            request_hash=claim.request_hash,
                            tracking_id=complaint.tracking_id,
                            response=claim.response,
                            created_at=complaint.received_at,
                            expires_at=claim.expires_at,
                        ),
                        condition=IdempotencyItem.key.does_not_exist(),
                    )
        except TransactWriteError as error:
            reasons = [r.code if r else None for r in (error.cancellation_reasons or [])]
            if claim and len(reasons) > 2 and reasons[2] == "ConditionalCheckFailed":
                raise IdempotencyKeyTakenError("idempotency key already used") from error
            if reasons and reasons[0] == "ConditionalCheckFailed":
                raise TrackingIdTakenError("tracking ID already in use") from error
            raise
        return self._from_item(item)

    def save_change(
        self,
        before: Complaint,
        after: Complaint,
        event: Event,
        notices: Sequence[OutboxMessage] = (),
    ) -> Complaint:
        """Replace `before` with `after` if nobody changed it since it was read. The
        messages that tell people about the change are queued in the same transaction,
        so a change is announced exactly once or not at all."""
        if before.version is None:
            raise ValueError("only a stored complaint can change")
        # The event links to the head read with `before`; the version condition
        # makes sure that head is still the last event when this one is added.
        recorded = self._event_item(
            after.tracking_id, before.version + 1, event, before.event_head or GENESIS
        )
        item = self._to_item(after, version=before.version)
        item.event_head = recorded.hash
        try:
            with TransactWrite(connection=self._connection) as transaction:
                transaction.save(item)
                transaction.save(recorded)
                for notice in notices:
                    transaction.save(pending_item(notice))
        except TransactWriteError as error:
            if any(r and r.code == "ConditionalCheckFailed" for r in error.cancellation_reasons):
                raise StaleVersionError(
                    "the complaint was changed by someone else; read it again"
                ) from error
            raise
        return self._from_item(item)

    # -- reads --------------------------------------------------------------

    def get(self, tracking_id: str) -> Complaint | None:
        try:
            return self._from_item(ComplaintItem.get(tracking_id))
        except ComplaintItem.DoesNotExist:
            return None

    def events(self, tracking_id: str) -> list[Event]:
        return [
            Event(
                type=e.type,
                at=e.at,
                actor=e.actor,
                role=e.role,
                data=e.data or {},
                seq=int(e.seq),
                previous=e.previous,
                hash=e.hash,
            )
            for e in EventItem.query(tracking_id, consistent_read=True)
        ]

    def stored_response(self, key: str) -> StoredResponse | None:
        try:
            item = IdempotencyItem.get(key, consistent_read=True)
        except IdempotencyItem.DoesNotExist:
            return None
        return StoredResponse(item.request_hash, item.tracking_id, item.response)

    def clocks_due(self, region: str, level: EscalationLevel, cutoff: date) -> Iterator[Complaint]:
        """Running clocks whose next level is `level` and whose start date is on or
        before `cutoff`: exactly the cases a sweep must look at."""
        for item in ComplaintItem.escalation_clock.query(
            clock_partition(region, level),
            ComplaintItem.clock_start_date <= cutoff.isoformat(),
        ):
            yield self._from_item(item)

    def waits_due(self, region: str, timer: Timer, cutoff: date) -> Iterator[Complaint]:
        """Closing waits of `timer` that started on or before `cutoff`: exactly the
        complaints the closure sweep must look at."""
        for item in ComplaintItem.closure_timer.query(
            timer_partition(region, timer),
            ComplaintItem.timer_date <= cutoff.isoformat(),
        ):
            yield self._from_item(item)

    def duplicates_of(self, master: str) -> list[Complaint]:
        """The complaints marked as duplicates of `master`, oldest first."""
        return [self._from_item(i) for i in ComplaintItem.duplicates_index.query(master)]

    def queue_page(
        self,
        index: str,
        partition: str,
        limit: int,
        cursor: str | None,
        narrowed: QueueFilter | None = None,
    ) -> Page:
        """One page of a work queue, oldest first, with an opaque cursor: one query
        of at most `limit` items. The dates of receipt are a key condition on the
        index's range key; the category is a filter, so a page may hold fewer than
        `limit` complaints (even none) and still carry a cursor."""
        source = {
            "stage": ComplaintItem.stage_queue_index,
            "agency": ComplaintItem.agency_queue_index,
        }[index]
        hash_attr = "stage_queue" if index == "stage" else "agency_queue"
        keys = {"tracking_id", "received_at", hash_attr}
        narrowed = narrowed or QueueFilter()
        start = decode_cursor(cursor, keys, hash_attr, partition) if cursor else None
        if start:
            _check_in_window(start["received_at"]["S"], narrowed)
        results = source.query(
            partition,
            _received_within(narrowed),
            filter_condition=(
                ComplaintItem.category == narrowed.category if narrowed.category else None
            ),
            limit=limit,
            last_evaluated_key=start,
        )
        page = next(results.page_iter)  # one request, even when the filter drops items
        items = [self._from_item(ComplaintItem.from_raw_data(raw)) for raw in page["Items"]]
        last = results.page_iter.last_evaluated_key
        return Page(items, encode_cursor(last) if last else None)

    def public_listing(
        self,
        region: str,
        start: datetime,
        end: datetime,
        statuses: frozenset[Status],
        categories: frozenset[str],
        limit: int,
    ) -> list[Complaint]:
        """A region's non-confidential complaints received from `start` to `end`,
        newest first, at most `limit`; empty filters match everything. Reads the
        sparse public index, never the whole table."""
        condition = None
        if statuses:
            condition = ComplaintItem.status.is_in(*(s.value for s in statuses))
        if categories:
            in_category = ComplaintItem.category.is_in(*categories)
            condition = in_category if condition is None else condition & in_category
        results = ComplaintItem.public_feed_index.query(
            region,
            ComplaintItem.received_at.between(start, end),
            filter_condition=condition,
            scan_index_forward=False,
            page_size=min(limit, 100) if condition is None else 100,
        )
        found = []
        for item in results:
            found.append(self._from_item(item))
            if len(found) >= limit:
                break
        return found

    def backfill_public_feed(self) -> int:
        """Give complaints stored before the public index existed their key; return
        how many. A one-off Scan, run by `cli setup` only right after it created the
        index, never in a request path or a schedule. The version is left alone:
        nothing about the complaint changed."""
        done = 0
        connection = ComplaintItem._get_connection()
        for item in ComplaintItem.scan(filter_condition=ComplaintItem.public_feed.does_not_exist()):
            key = public_feed(self._from_item(item))
            if key:
                connection.update_item(
                    item.tracking_id, actions=[ComplaintItem.public_feed.set(key)]
                )
                done += 1
        return done

    # -- mapping ------------------------------------------------------------

    def _to_item(self, c: Complaint, version: int | None = None) -> ComplaintItem:
        keys = queue_keys(c, self._policy)
        item = ComplaintItem(
            tracking_id=c.tracking_id,
            region=c.region,
            channel=c.channel,
            status=c.status.value,
            closure=c.closure.value if c.closure else None,
            escalation=c.escalation.value,
            received_at=c.received_at,
            clock_started_at=c.clock_started_at,
            clock_start_date=c.clock_start_date.isoformat(),
            followed_up_at=c.followed_up_at,
            updated_at=c.updated_at,
            agency=c.agency,
            title=c.title,
            description=c.description,
            category=c.category,
            location=c.location,
            anonymous=c.anonymous,
            confidential=c.confidential,
            region_unknown=c.region_unknown or None,
            reporter=ReporterAttribute(**vars(c.reporter)),
            access_code_hash=c.access_code_hash,
            clock_queue=keys.clock_queue,
            stage_queue=keys.stage_queue,
            agency_queue=keys.agency_queue,
            public_feed=public_feed(c),
            status_changed_at=c.status_changed_at,
            info_requested_at=c.info_requested_at,
            info_requested_on=_iso(c.info_requested_on),
            resolved_at=c.resolved_at,
            resolved_on=_iso(c.resolved_on),
            duplicate_of=c.duplicate_of,
            declined_by=list(c.declined_by) or None,
            rating=c.rating,
            timer_queue=keys.timer_queue,
            timer_date=keys.timer_date,
        )
        if version is not None:
            item.version = version
        return item

    @staticmethod
    def _from_item(item: ComplaintItem) -> Complaint:
        reporter = item.reporter
        return Complaint(
            tracking_id=item.tracking_id,
            region=item.region,
            channel=item.channel,
            status=Status(item.status),
            closure=_closure(item),
            escalation=EscalationLevel(item.escalation),
            received_at=item.received_at,
            clock_started_at=item.clock_started_at,
            clock_start_date=date.fromisoformat(item.clock_start_date),
            updated_at=item.updated_at,
            title=item.title,
            description=item.description,
            reporter=Reporter(
                name=reporter.name,
                nik=reporter.nik,
                phone_raw=reporter.phone_raw,
                phone=reporter.phone,
                email=reporter.email,
            ),
            access_code_hash=item.access_code_hash,
            anonymous=item.anonymous,
            confidential=item.confidential,
            region_unknown=bool(item.region_unknown),
            category=item.category,
            location=item.location,
            agency=item.agency,
            followed_up_at=item.followed_up_at,
            status_changed_at=item.status_changed_at,
            info_requested_at=item.info_requested_at,
            info_requested_on=_date(item.info_requested_on),
            resolved_at=item.resolved_at,
            resolved_on=_date(item.resolved_on),
            duplicate_of=item.duplicate_of,
            declined_by=tuple(item.declined_by or ()),
            rating=int(item.rating) if item.rating is not None else None,
            version=item.version,
            event_head=item.event_head,
        )

    @staticmethod
    def _event_item(tracking_id: str, seq: int, event: Event, previous: str) -> EventItem:
        return EventItem(
            tracking_id=tracking_id,
            seq=seq,
            type=event.type,
            at=event.at,
            actor=event.actor,
            role=event.role,
            data=event.data or None,
            previous=previous,
            hash=event_digest(tracking_id, seq, event, previous),
        )


# UTCDateTimeAttribute keeps microseconds: the last instant before an exclusive bound.
_LAST_BEFORE = timedelta(microseconds=1)


def _received_within(narrowed: QueueFilter) -> Condition | None:
    """The key condition on `received_at` for a window [from, before)."""
    first, before = narrowed.received_from, narrowed.received_before
    if first and before:
        return ComplaintItem.received_at.between(first, before - _LAST_BEFORE)
    if first:
        return ComplaintItem.received_at >= first
    if before:
        return ComplaintItem.received_at < before
    return None


def _check_in_window(received_at: str, narrowed: QueueFilter) -> None:
    """A cursor from outside the dates asked for would make DynamoDB refuse the
    query; it is the caller's mistake (dates changed between pages), so a 400."""
    try:
        at = ComplaintItem.received_at.deserialize(received_at)
    except ValueError:
        raise ValidationError("cursor is not valid", field="cursor") from None
    first, before = narrowed.received_from, narrowed.received_before
    if (first and at < first) or (before and at >= before):
        raise ValidationError(
            "cursor belongs to other dates; ask for the first page again", field="cursor"
        )


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _closure(item: ComplaintItem) -> Closure | None:
    if item.closure:
        return Closure(item.closure)
    # Closed before the reason was kept: only an admin could close then.
    return Closure.BY_ADMIN if item.status == Status.CLOSED.value else None
