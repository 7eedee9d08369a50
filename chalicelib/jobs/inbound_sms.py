"""Inbound SMS from AWS End User Messaging, which publishes each one to an SNS
topic (`SABER_SMS_INBOUND_TOPIC`). A message that cannot be read is kept too."""

from __future__ import annotations

import logging
import sys

from aws_lambda_powertools import Logger
from chalice import Blueprint

from chalicelib import wiring
from chalicelib.channels.end_user_messaging import (
    SOURCE,
    UnreadableDeliveryError,
    read_inbound_sms,
)
from chalicelib.config import inbound_sms_topic
from chalicelib.domain.inbound import InboundMessage, Sender

bp = Blueprint(__name__)
logger = Logger(service="saber-inbound-sms", logger_handler=logging.StreamHandler(sys.stderr))


@bp.on_sns_message(topic=inbound_sms_topic(), name="inbound_sms")
def inbound_sms(event):
    logger.setLevel(wiring.settings().log_level)
    now = wiring.now()
    try:
        message = read_inbound_sms(event.message, now)
    except UnreadableDeliveryError as error:
        sns_id = event.to_dict()["Records"][0]["Sns"]["MessageId"]
        unreadable = InboundMessage(
            source=SOURCE,
            channel="sms",
            gateway_message_id=f"sns-{sns_id}",
            sender=Sender(raw="", ambiguous=True),
            body=event.message,
            received_at=now,
        )
        receipt = wiring.inbox().keep_unreadable(unreadable, str(error), now)
        logger.warning("unreadable inbound SMS kept", extra={"receipt": receipt.as_dict()})
        return receipt.as_dict()
    receipt = wiring.sms_intake().receive(message, now)
    logger.info("inbound SMS", extra={"receipt": receipt.as_dict()})
    return receipt.as_dict()
