"""Twitter/X webhooks: the challenge-response check, the signature on every
delivery, and tweets in the API v2 shape.

X proves a webhook is ours with a GET carrying `crc_token`; the answer is
`{"response_token": "sha256=<base64 HMAC-SHA256(consumer secret, crc_token)>"}`.
Every POST carries `x-twitter-webhooks-signature: sha256=<base64 HMAC-SHA256
(consumer secret, raw body)>`. A delivery holds `data` (one tweet or a list),
and `includes.users` / `includes.tweets` with the authors and referenced tweets.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from typing import Any

from chalicelib.domain.errors import AuthenticationError, ValidationError
from chalicelib.services.tweets import Tweet

SIGNATURE_HEADER = "x-twitter-webhooks-signature"
_ID = re.compile(r"^[0-9]{1,25}$")
_HASHTAG = re.compile(r"(?<!\w)#(\w+)")
_MENTION = re.compile(r"(?<![\w@])@(\w{1,15})")


def _digest(secret: str, data: bytes) -> str:
    mac = hmac.new(secret.encode(), data, hashlib.sha256).digest()
    return "sha256=" + base64.b64encode(mac).decode()


def crc_response(secret: str, crc_token: str) -> dict:
    return {"response_token": _digest(secret, crc_token.encode())}


def verify_signature(secret: str, raw_body: bytes, header: str | None) -> None:
    if not header or not hmac.compare_digest(
        header.strip().encode(), _digest(secret, raw_body).encode()
    ):
        raise AuthenticationError(f"the {SIGNATURE_HEADER} header does not match the body")


def read_tweets(payload: Any) -> list[Tweet]:
    """The tweets of one webhook delivery; a delivery without tweets has none."""
    if not isinstance(payload, dict):
        raise ValidationError("the body must be a JSON object")
    data = payload.get("data")
    if data is None:
        return []
    items = data if isinstance(data, list) else [data]
    includes = payload.get("includes") if isinstance(payload.get("includes"), dict) else {}
    users = {
        u.get("id"): u.get("username") for u in includes.get("users") or [] if isinstance(u, dict)
    }
    return [_tweet(item, users, index) for index, item in enumerate(items)]


def _tweet(item: Any, users: dict, index: int) -> Tweet:
    where = "data" if index == 0 else f"data.{index}"
    if not isinstance(item, dict):
        raise ValidationError("a tweet must be a JSON object", field=where)
    tweet_id, text = item.get("id"), item.get("text", "")
    # Tweet IDs exceed 2^53: as JSON numbers they have already lost digits.
    if not isinstance(tweet_id, str) or not _ID.match(tweet_id):
        raise ValidationError("a tweet ID is a string of digits", field=f"{where}.id")
    if not isinstance(text, str):
        raise ValidationError("a tweet's text is a string", field=f"{where}.text")
    author = item.get("author_id") if isinstance(item.get("author_id"), str) else None
    references = []
    for ref in item.get("referenced_tweets") or []:
        if isinstance(ref, dict) and isinstance(ref.get("id"), str) and _ID.match(ref["id"]):
            references.append((str(ref.get("type")), ref["id"]))
    entities = item.get("entities") if isinstance(item.get("entities"), dict) else {}
    hashtags = _entity_values(entities, "hashtags", "tag") or _HASHTAG.findall(text)
    mentions = _entity_values(entities, "mentions", "username") or _MENTION.findall(text)
    username = users.get(author) if author else None
    return Tweet(
        id=tweet_id,
        text=text,
        author_id=author,
        author_username=username if isinstance(username, str) else None,
        referenced=tuple(references),
        hashtags=tuple(h.lower() for h in hashtags),
        mentions=tuple(m.lower() for m in mentions),
        payload=item,
    )


def _entity_values(entities: dict, kind: str, key: str) -> list[str]:
    return [
        e[key]
        for e in entities.get(kind) or []
        if isinstance(e, dict) and isinstance(e.get(key), str)
    ]
