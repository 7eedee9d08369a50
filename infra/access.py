"""What each Lambda function may do to each table: the source of its IAM policy.

Tables are named by their suffix in `chalicelib.storage.models.MODELS`, indexes by
their index name. `tests/integration/test_permissions.py` runs the API flows and
the sweep against moto, records every DynamoDB call, and checks that each function
uses exactly what it is granted here: nothing it lacks, nothing to spare.

A transaction needs no action of its own in IAM: each of its items is authorised
as the single-item action it performs (a Put as `dynamodb:PutItem`).
"""

from __future__ import annotations

from dataclasses import dataclass

API_FUNCTION = "api_handler"
HOURLY_SWEEP = "escalation_sweep_hourly"
INBOUND_SMS = "inbound_sms"
OUTBOX_WORKER = "outbox_worker"
CLOSURE_SWEEP = "closure_sweep_hourly"


@dataclass(frozen=True)
class TableAccess:
    table: str
    actions: tuple[str, ...] = ()
    queried_indexes: tuple[str, ...] = ()


# Inbound SMS and tweets, wherever they arrive: store the delivery, claim its text
# (a condition on the delivery claim in the idempotency table), read the regions'
# keywords, file or add to a complaint (once: its events are read first), read the
# calendar in force for the deadline an acknowledgement or CEK answer quotes, and
# queue the answer in the outbox.
INBOUND_ACCESS = (
    TableAccess("complaints", ("GetItem", "PutItem"), ("duplicates",)),
    TableAccess("events", ("PutItem", "Query")),
    TableAccess("regions", ("GetItem", "Query")),
    TableAccess("idempotency", ("ConditionCheckItem", "GetItem", "PutItem")),
    TableAccess("inbound", ("GetItem", "PutItem", "UpdateItem")),
    TableAccess("outbox", ("PutItem",)),
    TableAccess("holidays", ("BatchGetItem", "Query")),
)

# The HTTP API: file (complaint, first event and idempotency record in one
# transaction), replay a stored answer, look up, list queues and the public
# Open311 feed, change a complaint, issue and check Open311 API keys; the SMS
# gateway and Twitter/X webhook routes (as INBOUND_ACCESS), and the admins' list of
# inbound messages by outcome; read the calendar in force (the scopes' versions in
# one batch, a year's changes by key) and record a change of it (the change and the
# scope's new head in one transaction).
API_ACCESS = (
    TableAccess(
        "complaints",
        ("GetItem", "PutItem"),
        ("agency-queue", "duplicates", "public-feed", "stage-queue"),
    ),
    TableAccess("events", ("PutItem", "Query")),
    TableAccess("regions", ("GetItem", "Query")),
    TableAccess("idempotency", ("ConditionCheckItem", "GetItem", "PutItem")),
    TableAccess("api-clients", ("GetItem", "PutItem", "Query")),
    TableAccess("inbound", ("GetItem", "PutItem", "UpdateItem"), ("inbound-outcome",)),
    TableAccess("outbox", ("PutItem",)),
    TableAccess("holidays", ("BatchGetItem", "PutItem", "Query")),
)

# The escalation sweep: list regions, read each region's calendar in force, query
# running clocks by start-date cutoff, and flag each case with the complaint, its
# event and the staff's messages in one transaction.
SWEEP_ACCESS = (
    TableAccess("complaints", ("PutItem",), ("escalation-clock",)),
    TableAccess("events", ("PutItem",)),
    TableAccess("outbox", ("PutItem",)),
    TableAccess("regions", ("Query",)),
    TableAccess("holidays", ("BatchGetItem", "Query")),
)

# The closure sweep: list regions, read each region's calendar in force, query the
# waits that ran out by start-date cutoff and a master's duplicates, and close each
# complaint with its event and the reporters' messages in one transaction.
CLOSURE_ACCESS = (
    TableAccess("complaints", ("PutItem",), ("closure-timer", "duplicates")),
    TableAccess("events", ("PutItem",)),
    TableAccess("regions", ("Query",)),
    TableAccess("holidays", ("BatchGetItem", "Query")),
    TableAccess("outbox", ("PutItem",)),
)

# The outbox worker: query the due messages on the sparse pending index, claim each
# with a conditional update, and record the send, the retry or the failure.
OUTBOX_ACCESS = (TableAccess("outbox", ("UpdateItem",), ("outbox-pending",)),)

FUNCTION_ACCESS: dict[str, tuple[TableAccess, ...]] = {
    API_FUNCTION: API_ACCESS,
    HOURLY_SWEEP: SWEEP_ACCESS,
    "escalation_sweep_midnight": SWEEP_ACCESS,
    INBOUND_SMS: INBOUND_ACCESS,
    OUTBOX_WORKER: OUTBOX_ACCESS,
    CLOSURE_SWEEP: CLOSURE_ACCESS,
    "closure_sweep_midnight": CLOSURE_ACCESS,
}


def granted(access: tuple[TableAccess, ...]) -> set[tuple[str, str, str | None]]:
    """(action, table, index) triples: what a function may do, in the same terms
    as a recorded call."""
    triples: set[tuple[str, str, str | None]] = set()
    for grant in access:
        triples |= {(action, grant.table, None) for action in grant.actions}
        triples |= {("Query", grant.table, index) for index in grant.queried_indexes}
    return triples
