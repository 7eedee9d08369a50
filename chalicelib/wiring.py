"""Lazily built, cached dependencies. Tests call `reset()` after changing the
environment; nothing here runs at import time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache

from chalicelib.channels.outbound import LoggingSmsSender, SnsSmsSender
from chalicelib.config import Settings
from chalicelib.domain.calendar import HolidaySource, WorkingCalendar
from chalicelib.domain.escalation import DEFAULT_POLICY, EscalationPolicy
from chalicelib.domain.region import Region
from chalicelib.services.calendars import HolidayCalendars
from chalicelib.services.casework import Casework
from chalicelib.services.holiday_sources import default_source
from chalicelib.services.inbox import Filing, Inbox
from chalicelib.services.outbox import SmsSender
from chalicelib.services.regions import RegionDirectory
from chalicelib.services.secrets import IdFactory
from chalicelib.services.sms import SmsIntake
from chalicelib.services.tokens import TokenVerifier
from chalicelib.services.tweets import TweetIntake
from chalicelib.storage import models
from chalicelib.storage.api_clients import ApiClientRepository
from chalicelib.storage.complaints import ComplaintRepository
from chalicelib.storage.holidays import HolidayChangeRepository
from chalicelib.storage.inbound import InboundRepository
from chalicelib.storage.outbox import OutboxRepository
from chalicelib.storage.regions import RegionRepository


@cache
def settings() -> Settings:
    return Settings.from_env()


@cache
def _connection():
    return models.bind(settings())


def policy() -> EscalationPolicy:
    return DEFAULT_POLICY


@cache
def complaints() -> ComplaintRepository:
    return ComplaintRepository(_connection(), policy())


@cache
def api_clients() -> ApiClientRepository:
    _connection()
    return ApiClientRepository()


@cache
def regions() -> RegionDirectory:
    _connection()
    return RegionDirectory(RegionRepository())


@cache
def holiday_base() -> HolidaySource:
    """The packaged official lists, python-holidays for the years they lack."""
    return default_source()


@cache
def calendars() -> HolidayCalendars:
    return HolidayCalendars(holiday_base(), HolidayChangeRepository(_connection()))


def calendar_for(region: Region) -> WorkingCalendar:
    """The region's calendar in force, with every admin change made so far; it
    reads storage on its first question, so build one per request and region."""
    return calendars().for_scope(region.code)


@cache
def casework() -> Casework:
    return Casework(complaints(), regions().get, calendar_for)


@cache
def tokens() -> TokenVerifier:
    return TokenVerifier(settings())


@cache
def ids() -> IdFactory:
    return IdFactory()


@cache
def inbox() -> Inbox:
    return Inbox(InboundRepository(_connection()))


@cache
def outbox() -> OutboxRepository:
    _connection()
    return OutboxRepository()


@cache
def _filing() -> Filing:
    return Filing(
        complaints=complaints(),
        regions=regions(),
        calendar_for=calendar_for,
        policy=policy(),
        ids=ids(),
        default_region=settings().default_region,
        idempotency_ttl=timedelta(hours=settings().idempotency_ttl_hours),
    )


@cache
def sms_intake() -> SmsIntake:
    return SmsIntake(inbox(), _filing(), outbox(), settings().sms_short_number)


@cache
def tweet_intake() -> TweetIntake:
    return TweetIntake(inbox(), _filing(), settings().twitter_account)


@cache
def sms_sender() -> SmsSender:
    """SNS in AWS; a log line under `make run` (SABER_SMS_SENDER)."""
    if settings().sms_sender == "sns":
        import boto3  # only where SMS are really sent

        return SnsSmsSender(boto3.client("sns", region_name=settings().aws_region))
    return LoggingSmsSender()


def now() -> datetime:
    """The one place the service reads the clock."""
    return datetime.now(UTC)


# The functions themselves, so tests may replace one (e.g. the SMS sender) and still reset.
_CACHED = (
    settings,
    _connection,
    complaints,
    api_clients,
    regions,
    holiday_base,
    calendars,
    casework,
    tokens,
    ids,
    inbox,
    outbox,
    _filing,
    sms_intake,
    tweet_intake,
    sms_sender,
)


def reset() -> None:
    for built in _CACHED:
        built.cache_clear()
