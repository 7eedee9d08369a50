"""AWS End User Messaging two-way SMS: each inbound SMS is published to an SNS
topic as a JSON object with `originationNumber` (the sender), `destinationNumber`
(our number), `messageBody`, `inboundMessageId`, and optionally `messageKeyword`
and `previousPublishedMessageId`."""

from __future__ import annotations

import json
from datetime import datetime

from chalicelib.domain.inbound import InboundMessage
from chalicelib.services.phones import read_sender

SOURCE = "sms-aws"


class UnreadableDeliveryError(Exception):
    """The SNS message is not an inbound SMS we can read; it is kept as received."""


def read_inbound_sms(message: str, received_at: datetime) -> InboundMessage:
    try:
        data = json.loads(message)
    except (ValueError, RecursionError):
        raise UnreadableDeliveryError("the SNS message is not JSON") from None
    if not isinstance(data, dict):
        raise UnreadableDeliveryError("the SNS message is not a JSON object")
    sender, message_id = data.get("originationNumber"), data.get("inboundMessageId")
    body = data.get("messageBody", "")
    for name, value in (("originationNumber", sender), ("inboundMessageId", message_id)):
        if not isinstance(value, str) or not value.strip():
            raise UnreadableDeliveryError(f"{name} is missing or not a string")
    if not isinstance(body, str):
        raise UnreadableDeliveryError("messageBody is not a string")
    destination = data.get("destinationNumber")
    return InboundMessage(
        source=SOURCE,
        channel="sms",
        gateway_message_id=message_id,
        sender=read_sender(sender),
        body=body,
        received_at=received_at,
        destination=destination if isinstance(destination, str) else None,
        payload=data,
    )
