"""Closure sweep, hourly and just after local midnight in every Indonesian time
zone: closes resolved complaints nobody answered in 10 working days, and
complaints whose missing information never came in 30 days."""

from __future__ import annotations

import logging
import sys
from datetime import datetime

from aws_lambda_powertools import Logger
from chalice import Blueprint, Cron, Rate

from chalicelib import wiring
from chalicelib.domain.closure import DEFAULT_CLOSURE
from chalicelib.jobs import scheduled_at
from chalicelib.services.closure import ClosureSummary, sweep_closures

bp = Blueprint(__name__)
logger = Logger(service="saber-closure", logger_handler=logging.StreamHandler(sys.stderr))


def run_closure_sweep(now: datetime) -> ClosureSummary:
    """One closure sweep over every region at `now`; logs one JSON summary."""
    logger.setLevel(wiring.settings().log_level)
    summary = sweep_closures(
        now=now,
        regions=wiring.regions().all(),
        repo=wiring.complaints(),
        calendar_for=wiring.calendar_for,
        policy=DEFAULT_CLOSURE,
    )
    logger.info("closure sweep", extra={"summary": summary.as_dict()})
    return summary


@bp.schedule(Rate(1, unit=Rate.HOURS), name="closure_sweep_hourly")
def closure_sweep_hourly(event):
    return run_closure_sweep(scheduled_at(event)).as_dict()


@bp.schedule(Cron(2, "15-17", "*", "*", "?", "*"), name="closure_sweep_midnight")
def closure_sweep_midnight(event):
    return run_closure_sweep(scheduled_at(event)).as_dict()
