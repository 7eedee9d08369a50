"""Inbound messages (SMS, tweets): kept exactly as they arrived, before anything
reads them, with what became of each.

Gateways deliver at least once, so one message can arrive many times: each
gateway delivery is stored once under its gateway's message ID and counted when
it comes again; a copy re-sent under a new ID is stored too, marked as a
duplicate of the first. Nothing is dropped and nothing is handled twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

# How long one delivery may take to be handled before a redelivery may take it over.
HANDLING_LEASE = timedelta(minutes=2)


class Outcome(StrEnum):
    RECEIVED = "received"  # stored, not handled yet (or handling was interrupted)
    FILED = "filed"  # became a new complaint
    NEEDS_CONTENT = "needs_content"  # no text: the sender was asked for the content
    REPLY = "reply"  # added to the sender's own complaint
    STATUS_QUERY = "status_query"  # answered with a complaint's status
    UNMATCHED_REFERENCE = "unmatched_reference"  # quoted an ID we cannot attach it to
    SUPPORT = "support"  # a retweet or quote supporting a complaint
    IGNORED = "ignored"  # not addressed to the service
    DUPLICATE = "duplicate"  # another delivery of a message already stored
    UNREADABLE = "unreadable"  # the gateway's payload could not be read
    ATTACHED = "attached"  # an admin added it to the complaint it belongs to


# Messages an admin may attach to a complaint by hand: the service could not tell
# which complaint they belong to, or their handling stopped.
ATTACHABLE = frozenset({Outcome.UNMATCHED_REFERENCE, Outcome.RECEIVED})


@dataclass(frozen=True)
class Sender:
    """Who sent it: as the gateway gave it, and in canonical form when that is certain."""

    raw: str
    canonical: str | None = None  # +62… for a phone, @handle for a social account
    ambiguous: bool = False  # could not be read with certainty: kept raw, not rewritten

    @property
    def address(self) -> str:
        """Where an answer goes: the canonical form, else exactly what the gateway gave."""
        return self.canonical or self.raw


@dataclass(frozen=True)
class InboundMessage:
    source: str  # the gateway: "sms-aws", "sms-http", "twitter"
    channel: str  # "sms" or "twitter": the complaint's channel
    gateway_message_id: str
    sender: Sender
    body: str  # exactly as received
    received_at: datetime
    destination: str | None = None
    payload: dict | None = field(default=None, compare=False)  # the full delivery, if any
    outcome: Outcome = Outcome.RECEIVED
    tracking_id: str | None = None
    detail: str | None = None
    duplicate_of: str | None = None
    deliveries: int = 1  # of this gateway message ID; copies re-sent under new IDs count apart

    @property
    def key(self) -> str:
        return inbound_key(self.source, self.gateway_message_id)


def inbound_key(source: str, gateway_message_id: str) -> str:
    return f"{source}#{gateway_message_id}"
