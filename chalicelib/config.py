"""Settings: the one place that reads the environment, validated once at start."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from chalicelib.domain.errors import SaberError

STAGES = ("local", "dev", "prod")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
MIN_SECRET_BYTES = 32
# `make run` serves its embedded DynamoDB here (DYNAMODB_PORT moves both).
LOCAL_DYNAMODB_PORT = 8001
# Accepted only in the local stage, so a forgotten setting can never reach production.
LOCAL_JWT_SECRET = "saber-local-development-key-not-for-production"
LOCAL_SMS_GATEWAY_SECRET = "saber-local-sms-gateway-secret"
MIN_GATEWAY_SECRET_BYTES = 16
SMS_SENDERS = ("log", "sns")
DEFAULT_INBOUND_SMS_TOPIC = "saber-inbound-sms"


class ConfigurationError(SaberError):
    code = "configuration"


def table_name(prefix: str, suffix: str) -> str:
    """`<prefix>-<suffix>`: the service and the infrastructure name tables alike."""
    return f"{prefix}-{suffix}"


@dataclass(frozen=True)
class Settings:
    stage: str
    aws_region: str
    table_prefix: str
    dynamodb_endpoint: str | None
    default_region: str
    jwt_secret: str | None
    jwks_url: str | None
    jwt_issuer: str | None
    jwt_audience: str | None
    max_body_bytes: int
    idempotency_ttl_hours: int
    log_level: str
    sms_gateway_secret: str | None  # None: POST /channels/sms accepts nothing
    sms_sender: str  # "log" or "sns"
    sms_short_number: str
    twitter_consumer_secret: str | None  # None: the Twitter channel is off
    twitter_account: str | None  # the service's handle, without @

    def table_name(self, suffix: str) -> str:
        return table_name(self.table_prefix, suffix)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        stage = env.get("SABER_STAGE", "local")
        if stage not in STAGES:
            raise ConfigurationError(f"SABER_STAGE must be one of {', '.join(STAGES)}")
        endpoint = env.get("DYNAMODB_ENDPOINT") or (
            f"http://127.0.0.1:{_int(env, 'DYNAMODB_PORT', LOCAL_DYNAMODB_PORT)}"
            if stage == "local"
            else None
        )
        jwks_url = env.get("SABER_JWKS_URL") or None
        secret = env.get("SABER_JWT_SECRET") or (LOCAL_JWT_SECRET if stage == "local" else None)
        if stage != "local" and secret == LOCAL_JWT_SECRET:
            raise ConfigurationError("the local signing key is refused outside the local stage")
        if not jwks_url and not secret:
            raise ConfigurationError(
                "set SABER_JWKS_URL (or SABER_JWT_SECRET) to verify staff tokens"
            )
        if secret and not jwks_url and len(secret.encode()) < MIN_SECRET_BYTES:
            raise ConfigurationError(f"SABER_JWT_SECRET must be at least {MIN_SECRET_BYTES} bytes")
        log_level = env.get("SABER_LOG_LEVEL", "INFO").upper()
        if log_level not in LOG_LEVELS:
            raise ConfigurationError(f"SABER_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}")
        gateway_secret = env.get("SABER_SMS_GATEWAY_SECRET") or (
            LOCAL_SMS_GATEWAY_SECRET if stage == "local" else None
        )
        if stage != "local" and gateway_secret == LOCAL_SMS_GATEWAY_SECRET:
            raise ConfigurationError("the local SMS gateway secret is refused outside local")
        if gateway_secret and len(gateway_secret.encode()) < MIN_GATEWAY_SECRET_BYTES:
            raise ConfigurationError(
                f"SABER_SMS_GATEWAY_SECRET must be at least {MIN_GATEWAY_SECRET_BYTES} bytes"
            )
        sms_sender = env.get("SABER_SMS_SENDER") or ("log" if stage == "local" else "sns")
        if sms_sender not in SMS_SENDERS:
            raise ConfigurationError(f"SABER_SMS_SENDER must be one of {', '.join(SMS_SENDERS)}")
        short_number = env.get("SABER_SMS_SHORT_NUMBER", "1708")
        if not (short_number.isascii() and short_number.isdigit() and len(short_number) <= 15):
            raise ConfigurationError("SABER_SMS_SHORT_NUMBER must be digits only")
        account = (env.get("SABER_TWITTER_ACCOUNT") or "").strip().lstrip("@") or None
        return cls(
            stage=stage,
            aws_region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "ap-southeast-3",
            table_prefix=env.get("SABER_TABLE_PREFIX") or f"saber-{stage}",
            dynamodb_endpoint=endpoint,
            default_region=env.get("SABER_DEFAULT_REGION", "tanggamus"),
            jwt_secret=None if jwks_url else secret,
            jwks_url=jwks_url,
            jwt_issuer=env.get("SABER_JWT_ISSUER") or None,
            jwt_audience=env.get("SABER_JWT_AUDIENCE") or None,
            max_body_bytes=_int(env, "SABER_MAX_BODY_BYTES", 64 * 1024),
            idempotency_ttl_hours=_int(env, "SABER_IDEMPOTENCY_TTL_HOURS", 24),
            log_level=log_level,
            sms_gateway_secret=gateway_secret,
            sms_sender=sms_sender,
            sms_short_number=short_number,
            twitter_consumer_secret=env.get("SABER_TWITTER_CONSUMER_SECRET") or None,
            twitter_account=account,
        )


def inbound_sms_topic(env: Mapping[str, str] | None = None) -> str:
    """The SNS topic AWS End User Messaging publishes inbound SMS to. Chalice needs
    it when the app is imported (to subscribe the handler), before any settings."""
    env = os.environ if env is None else env
    return env.get("SABER_SMS_INBOUND_TOPIC") or DEFAULT_INBOUND_SMS_TOPIC


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be an integer, got {raw!r}") from None
    if value <= 0:
        raise ConfigurationError(f"{name} must be positive")
    return value
