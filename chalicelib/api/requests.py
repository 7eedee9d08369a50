"""Reading what a caller sent: the JSON body, the bearer token, query values."""

from __future__ import annotations

import json
from typing import TypeVar
from urllib.parse import parse_qs

from chalice.app import Request
from pydantic import BaseModel

from chalicelib import wiring
from chalicelib.domain.access import Actor
from chalicelib.domain.errors import (
    AuthenticationError,
    InvalidJsonError,
    PayloadTooLargeError,
    ValidationError,
)

B = TypeVar("B", bound=BaseModel)


def raw_body(request: Request) -> bytes:
    """The body as sent, refused when larger than the configured limit."""
    raw = request.raw_body or b""
    limit = wiring.settings().max_body_bytes
    if len(raw) > limit:
        raise PayloadTooLargeError(f"the body is {len(raw)} bytes; the limit is {limit}")
    return raw


class DuplicateKeyError(ValueError):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, object]]) -> dict:
    """A JSON object whose keys are each sent once: with `{"anonymous": true,
    "anonymous": false}` no reader can tell which one the sender meant."""
    seen: dict[str, object] = {}
    for key, value in pairs:
        if key in seen:
            raise DuplicateKeyError(key)
        seen[key] = value
    return seen


def json_object(raw: bytes) -> dict:
    """A JSON object from a body; malformed or deeply nested input is a 400."""
    if not raw.strip():
        raise ValidationError("the body is empty; send a JSON object")
    try:
        data = json.loads(raw, object_pairs_hook=_unique_keys)
    except DuplicateKeyError as error:
        raise ValidationError(
            f"the field {error.key!r} is sent twice; send each field once", field=error.key
        ) from None
    except json.JSONDecodeError as error:
        raise InvalidJsonError(f"the body is not valid JSON: {error.msg} at {error.pos}") from None
    except (ValueError, RecursionError):  # deeply nested or oversized numbers: never a 500
        raise InvalidJsonError("the body is not valid JSON") from None
    if not isinstance(data, dict):
        raise ValidationError("the body must be a JSON object")
    return data


def form_fields(raw: bytes) -> dict[str, str]:
    """An `application/x-www-form-urlencoded` body; the first value of each field."""
    text = raw.decode("utf-8", errors="replace")
    form = parse_qs(text, keep_blank_values=True, encoding="utf-8", errors="replace")
    return {name: values[0] for name, values in form.items()}


def body(request: Request, schema: type[B]) -> B:
    """The JSON body validated against `schema`; oversized or malformed bodies are
    refused before parsing."""
    return schema.model_validate(json_object(raw_body(request)))


def staff_actor(request: Request) -> Actor:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationError("send Authorization: Bearer <token>")
    return wiring.tokens().actor(token.strip())


def query_param(request: Request, name: str) -> str | None:
    value = (request.query_params or {}).get(name)
    return value if value not in (None, "") else None


def int_param(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = query_param(request, name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 6) or not low <= int(raw) <= high:
        raise ValidationError(f"{name} must be a whole number from {low} to {high}", field=name)
    return int(raw)
