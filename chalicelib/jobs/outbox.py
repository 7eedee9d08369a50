"""The outbox worker, every minute: sends the SMS that are due."""

from __future__ import annotations

import logging
import sys
from datetime import datetime

from aws_lambda_powertools import Logger
from chalice import Blueprint, Rate

from chalicelib import wiring
from chalicelib.jobs import scheduled_at
from chalicelib.services.outbox import OutboxSummary, deliver_outbox

bp = Blueprint(__name__)
logger = Logger(service="saber-outbox", logger_handler=logging.StreamHandler(sys.stderr))


def run_outbox(now: datetime) -> OutboxSummary:
    logger.setLevel(wiring.settings().log_level)
    summary = deliver_outbox(now=now, repo=wiring.outbox(), sender=wiring.sms_sender())
    logger.info("outbox run", extra={"summary": summary.as_dict()})
    return summary


@bp.schedule(Rate(1, unit=Rate.MINUTES), name="outbox_worker")
def outbox_worker(event):
    return run_outbox(scheduled_at(event)).as_dict()
