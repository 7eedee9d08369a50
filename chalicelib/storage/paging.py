"""Opaque cursors for paged key queries, each valid only for the partition that
issued it."""

from __future__ import annotations

import base64
import binascii
import json

from chalicelib.domain.errors import ValidationError


def encode_cursor(key: dict) -> str:
    raw = json.dumps(key, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, attributes: set[str], hash_attr: str, partition: str) -> dict:
    """The last evaluated key inside `cursor`, checked to hold exactly `attributes`
    (all strings) and to belong to `partition`."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise ValidationError("cursor is not valid", field="cursor") from None
    shape_ok = (
        isinstance(key, dict)
        and set(key) == attributes
        and all(isinstance(v, dict) and isinstance(v.get("S"), str) for v in key.values())
    )
    if not shape_ok or key[hash_attr]["S"] != partition:
        raise ValidationError("cursor does not belong to this queue", field="cursor")
    return key
