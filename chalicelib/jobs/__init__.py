"""Functions run by events rather than HTTP (schedules, SNS): thin wrappers over
services."""

from __future__ import annotations

from datetime import UTC, datetime


def scheduled_at(event) -> datetime:
    """The instant EventBridge scheduled this run for (always UTC): the run's `now`."""
    return datetime.fromisoformat(event.time).astimezone(UTC)
