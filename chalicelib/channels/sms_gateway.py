"""Ordinary SMS gateways posting to `POST /channels/sms`.

A gateway sends a form (`application/x-www-form-urlencoded`) or a JSON object
with the sender, the destination, the text and its own message ID. Field names
differ between gateways, so the common spellings are all accepted:

| meaning    | accepted names (any case)                                   |
|------------|-------------------------------------------------------------|
| sender     | `from`, `sender`, `msisdn`, `originator`, `phone`           |
| destination| `to`, `destination`, `recipient`, `shortcode`               |
| text       | `text`, `message`, `body`, `content`, `msg`                 |
| message ID | `message_id`, `messageid`, `id`, `sms_id`, `messagesid`     |

A missing text is an empty SMS (kept; the sender is asked for the content). A
missing message ID is allowed: duplicates are then caught by their content.

Every request carries the shared secret: `X-Saber-Token: <secret>`, or
`X-Saber-Signature: sha256=<hex HMAC-SHA256 of the raw body with the secret>`.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections.abc import Mapping
from datetime import datetime

from chalicelib.domain.errors import AuthenticationError, ValidationError
from chalicelib.domain.inbound import InboundMessage
from chalicelib.services.phones import read_sender

SOURCE = "sms-http"
TOKEN_HEADER = "x-saber-token"
SIGNATURE_HEADER = "x-saber-signature"
MAX_FIELD_LENGTH = {"from": 64, "to": 64, "message_id": 200}
FIELDS = {
    "from": ("from", "sender", "msisdn", "originator", "phone"),
    "to": ("to", "destination", "recipient", "shortcode"),
    "text": ("text", "message", "body", "content", "msg"),
    "message_id": ("message_id", "messageid", "id", "sms_id", "messagesid"),
}


def verify_gateway(headers: Mapping[str, str], raw_body: bytes, secret: str | None) -> None:
    """The shared secret, or an HMAC of the body made with it; compared in constant time."""
    if not secret:
        raise AuthenticationError("no SMS gateway is configured (SABER_SMS_GATEWAY_SECRET)")
    token = headers.get(TOKEN_HEADER)
    signature = headers.get(SIGNATURE_HEADER)
    if token is not None and hmac.compare_digest(token.encode(), secret.encode()):
        return
    if signature is not None:
        expected = hmac.new(secret.encode(), raw_body, hashlib.sha256).hexdigest()
        scheme, _, given = signature.strip().partition("=")
        if scheme.lower() == "sha256" and hmac.compare_digest(
            given.lower().encode(), expected.encode()
        ):
            return
    raise AuthenticationError(
        f"send the gateway secret in {TOKEN_HEADER} or an HMAC of the body in {SIGNATURE_HEADER}"
    )


def read_gateway_sms(given: Mapping[str, object], received_at: datetime) -> InboundMessage:
    """The SMS in a gateway's form or JSON object (field names as in the table above)."""
    lowered = {str(k).strip().lower(): v for k, v in given.items()}
    fields: dict[str, str] = {}
    for name, spellings in FIELDS.items():
        value = next((lowered[s] for s in spellings if s in lowered), None)
        if value is not None and not isinstance(value, str):
            # A phone number or message ID sent as a JSON number may already have lost digits.
            raise ValidationError(f"{name} must be a string", field=name)
        if value is not None:
            fields[name] = value
    sender = fields.get("from")
    if not sender or not sender.strip():
        raise ValidationError("the sender is required (from)", field="from")
    for name, limit in MAX_FIELD_LENGTH.items():
        if len(fields.get(name) or "") > limit:
            raise ValidationError(f"{name} is longer than {limit} characters", field=name)
    return InboundMessage(
        source=SOURCE,
        channel="sms",
        gateway_message_id=fields.get("message_id") or f"no-id-{uuid.uuid4().hex}",
        sender=read_sender(sender),
        body=fields.get("text") or "",
        received_at=received_at,
        destination=fields.get("to") or None,
        payload=dict(given),
    )
