"""Escalation sweep, hourly and just after local midnight in every Indonesian
time zone (00:01 WIT, WITA and WIB), so a case is flagged within minutes of
becoming overdue."""

from __future__ import annotations

import logging
import sys
from datetime import datetime

from aws_lambda_powertools import Logger
from chalice import Blueprint, Cron, Rate

from chalicelib import wiring
from chalicelib.jobs import scheduled_at
from chalicelib.services.escalation import SweepSummary, sweep_escalations

bp = Blueprint(__name__)
# stderr keeps stdout free for the CLI's own answer; Lambda sends both to CloudWatch.
logger = Logger(service="saber-escalation", logger_handler=logging.StreamHandler(sys.stderr))


def run_sweep(now: datetime) -> SweepSummary:
    """One sweep over every region at `now`; logs one JSON summary."""
    logger.setLevel(wiring.settings().log_level)
    summary = sweep_escalations(
        now=now,
        regions=wiring.regions().all(),
        repo=wiring.complaints(),
        calendar_for=wiring.calendar_for,
        policy=wiring.policy(),
    )
    logger.info("escalation sweep", extra={"summary": summary.as_dict()})
    return summary


@bp.schedule(Rate(1, unit=Rate.HOURS), name="escalation_sweep_hourly")
def escalation_sweep_hourly(event):
    return run_sweep(scheduled_at(event)).as_dict()


@bp.schedule(Cron(1, "15-17", "*", "*", "?", "*"), name="escalation_sweep_midnight")
def escalation_sweep_midnight(event):
    return run_sweep(scheduled_at(event)).as_dict()
