"""PynamoDB models: one table each for complaints, their events, regions,
idempotency records, Open311 API clients, inbound messages, the outbox and admin
changes of the holiday calendar.

Table names, endpoint and credentials are bound at run time by `bind()`, not at
import, so importing this module never fixes a configuration.
"""

from __future__ import annotations

from functools import cache
from operator import itemgetter
from typing import Any

import botocore.loaders
import botocore.session
import pynamodb.connection.base
from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.connection import Connection
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from chalicelib.config import Settings


class _Meta:
    billing_mode = "PAY_PER_REQUEST"
    table_name: str | None = None
    region: str | None = None
    host: str | None = None


class EscalationClockIndex(GlobalSecondaryIndex["ComplaintItem"]):
    """Sparse index of running clocks: `clock_queue` is `<region>#<next level>`
    and present only while the clock runs, ranged by the local start date, so a
    sweep reads exactly the cases whose next level is due."""

    class Meta:
        index_name = "escalation-clock"
        projection = AllProjection()

    clock_queue = UnicodeAttribute(hash_key=True)
    clock_start_date = UnicodeAttribute(range_key=True)


class StageQueueIndex(GlobalSecondaryIndex["ComplaintItem"]):
    """Admin work queues: `triage#<region>`, `intervention#<region>`, `takeover`."""

    class Meta:
        index_name = "stage-queue"
        projection = AllProjection()

    stage_queue = UnicodeAttribute(hash_key=True)
    received_at = UTCDateTimeAttribute(range_key=True)


class AgencyQueueIndex(GlobalSecondaryIndex["ComplaintItem"]):
    """Open complaints routed to an agency: `agency_queue` is `<region>#<agency>`."""

    class Meta:
        index_name = "agency-queue"
        projection = AllProjection()

    agency_queue = UnicodeAttribute(hash_key=True)
    received_at = UTCDateTimeAttribute(range_key=True)


class PublicFeedIndex(GlobalSecondaryIndex["ComplaintItem"]):
    """Sparse index of what the public may list: `public_feed` is the region and
    present only on non-confidential complaints, ranged by receipt (Open311
    GET requests)."""

    class Meta:
        index_name = "public-feed"
        projection = AllProjection()

    public_feed = UnicodeAttribute(hash_key=True)
    received_at = UTCDateTimeAttribute(range_key=True)


class ClosureTimerIndex(GlobalSecondaryIndex["ComplaintItem"]):
    """Sparse index of running closing waits: `timer_queue` is `<region>#reply`
    (resolved, awaiting the reporter) or `<region>#info` (sent back for missing
    information), present only while the wait runs, ranged by the local date it
    started, so the closure sweep reads just the waits that ran out."""

    class Meta:
        index_name = "closure-timer"
        projection = AllProjection()

    timer_queue = UnicodeAttribute(hash_key=True)
    timer_date = UnicodeAttribute(range_key=True)


class DuplicatesIndex(GlobalSecondaryIndex["ComplaintItem"]):
    """Duplicates of a master complaint, by receipt: whom to tell when it changes."""

    class Meta:
        index_name = "duplicates"
        projection = AllProjection()

    duplicate_of = UnicodeAttribute(hash_key=True)
    received_at = UTCDateTimeAttribute(range_key=True)


class ReporterAttribute(MapAttribute):
    name = UnicodeAttribute(null=True)
    nik = UnicodeAttribute(null=True)
    phone_raw = UnicodeAttribute(null=True)
    phone = UnicodeAttribute(null=True)
    email = UnicodeAttribute(null=True)


class ComplaintItem(Model):
    class Meta(_Meta):
        pass

    tracking_id = UnicodeAttribute(hash_key=True)
    region = UnicodeAttribute()
    channel = UnicodeAttribute()
    status = UnicodeAttribute()
    closure = UnicodeAttribute(null=True)
    escalation = UnicodeAttribute()
    version = VersionAttribute()
    received_at = UTCDateTimeAttribute()
    clock_started_at = UTCDateTimeAttribute()
    clock_start_date = UnicodeAttribute()
    followed_up_at = UTCDateTimeAttribute(null=True)
    updated_at = UTCDateTimeAttribute()
    agency = UnicodeAttribute(null=True)
    title = UnicodeAttribute()
    description = UnicodeAttribute()
    category = UnicodeAttribute(null=True)
    location = UnicodeAttribute(null=True)
    anonymous = BooleanAttribute()
    confidential = BooleanAttribute()
    region_unknown = BooleanAttribute(null=True)  # absent on complaints filed before it existed
    reporter = ReporterAttribute()
    access_code_hash = UnicodeAttribute()
    clock_queue = UnicodeAttribute(null=True)
    stage_queue = UnicodeAttribute(null=True)
    agency_queue = UnicodeAttribute(null=True)
    public_feed = UnicodeAttribute(null=True)
    status_changed_at = UTCDateTimeAttribute(null=True)
    info_requested_at = UTCDateTimeAttribute(null=True)
    info_requested_on = UnicodeAttribute(null=True)
    resolved_at = UTCDateTimeAttribute(null=True)
    resolved_on = UnicodeAttribute(null=True)
    duplicate_of = UnicodeAttribute(null=True)
    declined_by = ListAttribute(of=UnicodeAttribute, null=True)
    rating = NumberAttribute(null=True)
    timer_queue = UnicodeAttribute(null=True)
    timer_date = UnicodeAttribute(null=True)
    event_head = UnicodeAttribute(null=True)  # digest of the last event (domain.audit)

    escalation_clock = EscalationClockIndex()
    stage_queue_index = StageQueueIndex()
    agency_queue_index = AgencyQueueIndex()
    public_feed_index = PublicFeedIndex()
    closure_timer = ClosureTimerIndex()
    duplicates_index = DuplicatesIndex()


class EventItem(Model):
    """One append-only event of a complaint; `seq` equals the complaint's
    version after the change, so two writers can never record the same step."""

    class Meta(_Meta):
        pass

    tracking_id = UnicodeAttribute(hash_key=True)
    seq = NumberAttribute(range_key=True)
    type = UnicodeAttribute()
    at = UTCDateTimeAttribute()
    actor = UnicodeAttribute()
    role = UnicodeAttribute()
    data = JSONAttribute(null=True)
    previous = UnicodeAttribute(null=True)  # digest of the event before (domain.audit)
    hash = UnicodeAttribute(null=True)  # this event's digest


class RegionItem(Model):
    """Reference data. Regions live under pk `REGION` (sk = region code) and each
    region's agencies under pk `AGENCY#<region>` (sk = agency code), so both are
    listed with a key query."""

    class Meta(_Meta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    name = UnicodeAttribute()
    data = JSONAttribute(null=True)


class IdempotencyItem(Model):
    """The first answer to a request carrying an Idempotency-Key, replayed to retries."""

    class Meta(_Meta):
        pass

    key = UnicodeAttribute(hash_key=True)
    request_hash = UnicodeAttribute()
    tracking_id = UnicodeAttribute()
    response = JSONAttribute()
    created_at = UTCDateTimeAttribute()
    expires_at = TTLAttribute(null=True)


class ApiClientItem(Model):
    """An Open311 client allowed to POST requests. Its key is kept only as a
    hash, the sort key, under one partition so clients are listed with a query."""

    class Meta(_Meta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    key_hash = UnicodeAttribute(range_key=True)
    client = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    created_by = UnicodeAttribute()


class DeliveryClaimItem(Model):
    """The first delivery of an SMS text from a sender within a time window; kept
    in the idempotency table beside the HTTP replay records, and expiring like them."""

    class Meta(_Meta):
        pass

    key = UnicodeAttribute(hash_key=True)
    owner = UnicodeAttribute()  # key of the inbound message that claimed it
    created_at = UTCDateTimeAttribute()
    expires_at = TTLAttribute(null=True)


class InboundOutcomeIndex(GlobalSecondaryIndex["InboundItem"]):
    """Inbound messages by outcome, oldest first: what admins review (`received`
    ones whose handling stopped, `needs_content`, `unmatched_reference`, ...)."""

    class Meta:
        index_name = "inbound-outcome"
        projection = AllProjection()

    outcome = UnicodeAttribute(hash_key=True)
    received_at = UTCDateTimeAttribute(range_key=True)


class InboundItem(Model):
    """One gateway delivery of an inbound message, stored before it is read.
    `key` is `<source>#<gateway message id>`; never deleted."""

    class Meta(_Meta):
        pass

    key = UnicodeAttribute(hash_key=True)
    source = UnicodeAttribute()
    channel = UnicodeAttribute()
    gateway_message_id = UnicodeAttribute()
    sender_raw = UnicodeAttribute()
    sender = UnicodeAttribute(null=True)
    sender_ambiguous = BooleanAttribute()
    destination = UnicodeAttribute(null=True)
    body = UnicodeAttribute()
    payload = JSONAttribute(null=True)
    received_at = UTCDateTimeAttribute()
    outcome = UnicodeAttribute()
    tracking_id = UnicodeAttribute(null=True)
    detail = UnicodeAttribute(null=True)
    duplicate_of = UnicodeAttribute(null=True)
    deliveries = NumberAttribute()
    last_delivery_at = UTCDateTimeAttribute(null=True)
    lease_until = UTCDateTimeAttribute(null=True)
    handled_at = UTCDateTimeAttribute(null=True)

    by_outcome = InboundOutcomeIndex()


class PendingOutboxIndex(GlobalSecondaryIndex["OutboxItem"]):
    """Sparse: `pending_queue` (the channel) exists only while a message waits to be
    sent, ranged by when it is due, so the worker reads just the due messages."""

    class Meta:
        index_name = "outbox-pending"
        projection = AllProjection()

    pending_queue = UnicodeAttribute(hash_key=True)
    next_attempt_at = UTCDateTimeAttribute(range_key=True)


class OutboxItem(Model):
    """A message to a reporter: stored first, sent by the outbox worker."""

    class Meta(_Meta):
        pass

    id = UnicodeAttribute(hash_key=True)
    channel = UnicodeAttribute()
    to = UnicodeAttribute()
    text = UnicodeAttribute()
    purpose = UnicodeAttribute()
    status = UnicodeAttribute()
    attempts = NumberAttribute()
    created_at = UTCDateTimeAttribute()
    next_attempt_at = UTCDateTimeAttribute(null=True)
    pending_queue = UnicodeAttribute(null=True)
    claimed_by = UnicodeAttribute(null=True)
    sent_at = UTCDateTimeAttribute(null=True)
    provider_message_id = UnicodeAttribute(null=True)
    last_error = UnicodeAttribute(null=True)
    tracking_id = UnicodeAttribute(null=True)
    inbound_key = UnicodeAttribute(null=True)

    pending = PendingOutboxIndex()


class HolidayChangeItem(Model):
    """Admin changes of the working calendar, one partition per scope (`national`
    or a region code). Each change is an append-only item whose sort key is
    `<date>#<version>`, so a year's changes are one key query; the scope's head
    (sort key `HEAD`) holds its current version, written in the same transaction as
    each change and conditional on the version read, so changes of one scope are
    serialised and any container sees with one small read whether its copy is
    current."""

    class Meta(_Meta):
        pass

    scope = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    version = NumberAttribute()
    day = UnicodeAttribute(null=True)
    change = UnicodeAttribute(null=True)
    kind = UnicodeAttribute(null=True)
    name = UnicodeAttribute(null=True)
    reason = UnicodeAttribute(null=True)
    actor = UnicodeAttribute(null=True)
    role = UnicodeAttribute(null=True)
    at = UTCDateTimeAttribute(null=True)


MODELS: dict[str, type[Model]] = {
    "complaints": ComplaintItem,
    "events": EventItem,
    "regions": RegionItem,
    "idempotency": IdempotencyItem,
    "api-clients": ApiClientItem,
    "inbound": InboundItem,
    "outbox": OutboxItem,
    "holidays": HolidayChangeItem,
}
# Models that live in another model's table (created with it).
SHARED_TABLES: dict[str, type[Model]] = {"idempotency": DeliveryClaimItem}


def table_definition(model: type[Model]) -> dict[str, Any]:
    """The table as CloudFormation declares an `AWS::DynamoDB::Table`: key schema,
    attribute definitions, secondary indexes with their projections, and the TTL
    attribute. The infrastructure builds every table from this, so a deployed table
    cannot drift from the model that reads and writes it."""
    schema = model._get_schema()
    definition: dict[str, Any] = {
        "KeySchema": _hash_first(schema["key_schema"]),
        "AttributeDefinitions": sorted(
            schema["attribute_definitions"], key=itemgetter("AttributeName")
        ),
    }
    for kind, name in (
        ("global_secondary_indexes", "GlobalSecondaryIndexes"),
        ("local_secondary_indexes", "LocalSecondaryIndexes"),
    ):
        indexes = [
            {
                "IndexName": index["index_name"],
                "KeySchema": _hash_first(index["key_schema"]),
                "Projection": index["projection"],
            }
            for index in sorted(schema[kind], key=itemgetter("index_name"))
        ]
        if indexes:
            definition[name] = indexes
    ttl = [a.attr_name for a in model.get_attributes().values() if isinstance(a, TTLAttribute)]
    if ttl:
        definition["TimeToLiveSpecification"] = {"AttributeName": ttl[0], "Enabled": True}
    return definition


def _hash_first(key_schema: list[dict[str, str]]) -> list[dict[str, str]]:
    # DynamoDB wants the hash key before the range key; PynamoDB keeps no order.
    return sorted(key_schema, key=lambda key: key["KeyType"] != "HASH")


@cache
def _shared_loader() -> botocore.loaders.Loader:
    return botocore.loaders.create_loader()


def _session_with_shared_loader() -> botocore.session.Session:
    """A botocore session that reads botocore's endpoint and service definitions
    through one loader. PynamoDB makes a session for each model's connection, and
    each new session would parse those JSON files again (about 0.1 s a table, on
    every Lambda cold start and in every test)."""
    session = botocore.session.get_session()
    session.register_component("data_loader", _shared_loader())
    return session


def bind(settings: Settings) -> Connection:
    """Point every model at the configured tables and endpoint; return a
    connection for transactions on the same endpoint."""
    pynamodb.connection.base.get_session = _session_with_shared_loader
    for suffix, model in [*MODELS.items(), *SHARED_TABLES.items()]:
        model.Meta.table_name = settings.table_name(suffix)
        model.Meta.region = settings.aws_region
        model.Meta.host = settings.dynamodb_endpoint
        model.Meta.aws_access_key_id, model.Meta.aws_secret_access_key = _credentials(settings)
        model._connection = None
    key_id, secret = _credentials(settings)
    return Connection(
        region=settings.aws_region,
        host=settings.dynamodb_endpoint,
        aws_access_key_id=key_id,
        aws_secret_access_key=secret,
    )


def _credentials(settings: Settings) -> tuple[str | None, str | None]:
    # The embedded local server accepts any signature; elsewhere the default
    # credential chain (Lambda role, profile) applies.
    return ("local", "local") if settings.stage == "local" else (None, None)


def create_tables() -> list[str]:
    """Create any missing table (idempotent); return the names created."""
    created = []
    for model in MODELS.values():
        if not model.exists():
            model.create_table(wait=True, billing_mode="PAY_PER_REQUEST")
            created.append(model.Meta.table_name)
    return created


def add_missing_indexes() -> list[str]:
    """Create each index a model declares but its existing table lacks (a table
    made before the index was added, e.g. kept local data); return their names."""
    created = []
    for model in MODELS.values():
        existing = model.describe_table().get("GlobalSecondaryIndexes", [])
        names = {index["IndexName"] for index in existing}
        for index in model._get_schema()["global_secondary_indexes"]:
            if index["index_name"] in names:
                continue
            model._get_connection().connection.client.update_table(
                TableName=model.Meta.table_name,
                AttributeDefinitions=index["attribute_definitions"],
                GlobalSecondaryIndexUpdates=[
                    {
                        "Create": {
                            "IndexName": index["index_name"],
                            # DynamoDB wants the hash key first.
                            "KeySchema": sorted(
                                index["key_schema"], key=lambda key: key["KeyType"] != "HASH"
                            ),
                            "Projection": index["projection"],
                        }
                    }
                ],
            )
            created.append(index["index_name"])
    return created
