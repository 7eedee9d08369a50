"""Errors raised by rules and use cases; the API maps each to one HTTP answer."""

from __future__ import annotations


class SaberError(Exception):
    code = "error"

    def __init__(self, message: str, field: str | None = None, **details: object):
        super().__init__(message)
        self.message = message
        self.field = field
        self.details = details  # shown beside the message, e.g. the current version


class ValidationError(SaberError):
    code = "invalid"


class InvalidJsonError(ValidationError):
    code = "invalid_json"


class NotFoundError(SaberError):
    code = "not_found"


class AuthenticationError(SaberError):
    code = "unauthenticated"


class PermissionDeniedError(SaberError):
    code = "forbidden"


class ConflictError(SaberError):
    code = "conflict"


class InvalidTransitionError(ConflictError):
    code = "invalid_transition"


class StaleVersionError(ConflictError):
    """The complaint changed since the caller read it."""

    code = "stale_version"


class AlreadyHandledError(ConflictError):
    """An inbound message the service (or an admin) already placed."""

    code = "already_handled"


class NotAnonymousError(ConflictError):
    """Revealing a reporter who never asked to be hidden."""

    code = "not_anonymous"


class SupersededUpdateError(ConflictError):
    """An update made before the complaint's current state: kept as a note, the
    state left as it is."""

    code = "superseded_update"


class IdempotencyKeyReusedError(SaberError):
    code = "idempotency_key_reused"


class PayloadTooLargeError(SaberError):
    code = "payload_too_large"


class UnsupportedMediaTypeError(SaberError):
    code = "unsupported_media_type"


class ChannelUnavailableError(SaberError):
    """A channel the deployment has not configured (e.g. no Twitter secret)."""

    code = "channel_unavailable"
