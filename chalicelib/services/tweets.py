"""Tweets to the service (#lapor1708 or a mention of its account).

A new tweet becomes a complaint; its author's handle is the reporter, and the
answer goes back on the platform. A retweet or a quote of a tweet that already
became a complaint is support for that complaint, decided from the tweet's
metadata (`referenced_tweets`), never from "RT" in the text: Indonesian
addresses are written "RT 03 RW 05".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from chalicelib.domain.complaint import Event, Reporter
from chalicelib.domain.inbound import InboundMessage, Outcome, Sender, inbound_key
from chalicelib.domain.sms import SmsIntent, read_complaint
from chalicelib.services.inbox import Filing, Handled, Inbox, Receipt, record_on_complaint

SOURCE = "twitter"
HASHTAG = "lapor1708"
SUPPORTING = ("retweeted", "quoted")
_LINK = re.compile(r"https?://\S+")


@dataclass(frozen=True)
class Tweet:
    """One tweet as the platform delivered it (API v2 shape)."""

    id: str
    text: str
    author_id: str | None
    author_username: str | None  # without @
    referenced: tuple[tuple[str, str], ...]  # (retweeted | quoted | replied_to, tweet ID)
    hashtags: tuple[str, ...]  # without #, lower case
    mentions: tuple[str, ...]  # usernames without @, lower case
    payload: dict = field(compare=False)

    def references(self, *kinds: str) -> list[str]:
        return [tweet_id for kind, tweet_id in self.referenced if kind in kinds]


@dataclass(frozen=True)
class TweetIntake:
    inbox: Inbox
    filing: Filing
    account: str | None  # the service's own handle, without @

    def receive(self, tweet: Tweet, now: datetime) -> Receipt:
        handle = tweet.author_username
        message = InboundMessage(
            source=SOURCE,
            channel="twitter",
            gateway_message_id=tweet.id,
            sender=Sender(
                raw=handle or tweet.author_id or "",
                canonical=f"@{handle}" if handle else None,
                ambiguous=handle is None,
            ),
            body=tweet.text,
            received_at=now,
            payload=tweet.payload,
        )
        return self.inbox.receive(message, now, lambda m: self._handle(tweet, m, now))

    def _handle(self, tweet: Tweet, message: InboundMessage, now: datetime) -> Handled:
        for referenced in tweet.references(*SUPPORTING):
            original = self.inbox.repo.get(inbound_key(SOURCE, referenced))
            if original and original.outcome is Outcome.FILED and original.tracking_id:
                event = Event(
                    type="support",
                    at=now,
                    actor=f"twitter:{message.sender.address}",
                    role="public",
                    data={"channel": "twitter", "tweet": tweet.id, "supports": referenced},
                )
                complaints = self.filing.complaints
                record_on_complaint(complaints, original.tracking_id, event, now, message.key)
                return Handled(Outcome.SUPPORT, original.tracking_id)
        if tweet.references("retweeted"):
            return Handled(Outcome.IGNORED, detail="a retweet of a tweet that is no complaint")
        if not self._addressed(tweet):
            return Handled(Outcome.IGNORED, detail=f"neither #{HASHTAG} nor the service's account")
        reading = read_complaint(self._complaint_text(tweet), self.filing.regions.keywords())
        if reading.intent is SmsIntent.NEEDS_CONTENT:
            return Handled(Outcome.NEEDS_CONTENT)
        answer = self.filing.file(message, reading, Reporter(name=message.sender.canonical))
        return Handled(Outcome.FILED, answer["tracking_id"])

    def _complaint_text(self, tweet: Tweet) -> str:
        """The tweet without the service's hashtag, its mention and links."""
        marks = [f"#{HASHTAG}"] + ([f"@{self.account}"] if self.account else [])
        pattern = "|".join(rf"(?<!\w){re.escape(mark)}(?!\w)" for mark in marks)
        return _LINK.sub(" ", re.sub(pattern, " ", tweet.text, flags=re.IGNORECASE))

    def _addressed(self, tweet: Tweet) -> bool:
        mentioned = self.account is not None and self.account.lower() in tweet.mentions
        return HASHTAG in tweet.hashtags or mentioned
