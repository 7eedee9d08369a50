"""Reading an SMS sent to the shared short number 1708.

The number is shared nationally, so the first word names the region
(`TANGGAMUS_Jalan rusak di pekon ...`). It is matched, whatever its case, against
each region's SMS keywords and aliases, the longest first, so "Kabupaten
Tanggamus" wins over "Tanggamus" and "Kab. Tanggamus" matches "KAB TANGGAMUS".
Underscores, colons, dashes, runs of spaces and similar marks separate it from the
complaint text. A message that names no region still is a complaint, for central
triage; an empty one is kept and its sender asked for the content.

A message that quotes a tracking ID is about that complaint (a reply from its
reporter), and `CEK <tracking ID>` asks for its status. Reading never fails: any
text has exactly one reading.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from chalicelib.domain.region import Region
from chalicelib.domain.tracking import normalize_tracking_id

# Zero-width characters and the soft hyphen: invisible, and never meant as text.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_WORD = re.compile(r"[^\W_]+")
_WORD_CHAR = re.compile(r"[^\W_]")
# What people put between the region keyword and their text.
_SEPARATORS = " _:;,.-=/|>#*~+\u2013\u2014"
_STATUS_COMMAND = re.compile(r"^CEK(?![^\W_])[\W_]*(?P<rest>.*)$", re.IGNORECASE)
TITLE_LENGTH = 80
MAX_QUOTED_LENGTH = 16  # `CEK` and one token this long is a status query, whatever the token
# Deliveries of the same text from the same sender this close together are one message.
DUPLICATE_WINDOW = timedelta(minutes=10)


class SmsIntent(StrEnum):
    COMPLAINT = "complaint"  # a region keyword, then the complaint text
    NO_KEYWORD = "no_keyword"  # complaint text naming no region: central triage
    NEEDS_CONTENT = "needs_content"  # nothing to file: ask the sender for the content
    REPLY = "reply"  # quotes a tracking ID: about that complaint
    STATUS_QUERY = "status_query"  # CEK <tracking ID>


@dataclass(frozen=True)
class SmsReading:
    intent: SmsIntent
    text: str  # the whole message, normalised
    content: str = ""  # the complaint text, without the region keyword
    region: str | None = None  # code of the region the keyword named
    tracking_id: str | None = None  # canonical form of a quoted tracking ID that reads as one
    quoted_id: str | None = None  # the quoted tracking ID as written, readable or not


@dataclass(frozen=True)
class _Keyword:
    pattern: re.Pattern[str]
    region: str
    weight: tuple[int, int]


@dataclass(frozen=True)
class KeywordTable:
    """Every region's keywords and aliases, longest first, and their tracking-ID prefixes."""

    keywords: tuple[_Keyword, ...]
    tracking_prefixes: tuple[str, ...]

    @classmethod
    def from_regions(cls, regions: Iterable[Region]) -> KeywordTable:
        keywords = []
        prefixes = []
        for region in regions:
            prefixes.append(region.tracking_prefix.upper())
            for phrase in (*region.sms_keywords, *region.aliases):
                words = _WORD.findall(normalize_text(phrase).lower())
                if not words:
                    continue
                # Any separators (or none) between the words of a phrase, a word boundary after it.
                body = r"[\W_]*".join(re.escape(word) for word in words)
                pattern = re.compile(rf"^[\W_]*{body}(?![^\W_])", re.IGNORECASE)
                weight = (sum(map(len, words)), len(words))
                keywords.append(_Keyword(pattern, region.code, weight))
        keywords.sort(key=lambda k: k.weight, reverse=True)
        return cls(tuple(keywords), tuple(sorted(set(prefixes), key=len, reverse=True)))

    def match(self, text: str) -> tuple[str, str] | None:
        """(region code, the text after the keyword) when the text starts with a keyword."""
        for keyword in self.keywords:
            found = keyword.pattern.match(text)
            if found:
                return keyword.region, text[found.end() :]
        return None


def normalize_text(body: str) -> str:
    """NFKC (full-width letters, non-breaking spaces and the like become plain),
    invisible and control characters dropped, whitespace runs made one space."""
    text = unicodedata.normalize("NFKC", body).translate(_INVISIBLE)
    return " ".join(_CONTROL.sub(" ", text).split())


def _has_words(text: str) -> bool:
    return _WORD_CHAR.search(text) is not None


@dataclass(frozen=True)
class _Quote:
    written: str
    tracking_id: str | None


def _quoted_ids(text: str, prefixes: tuple[str, ...]) -> list[_Quote]:
    """Tokens that look like a tracking ID of a known region, e.g. `TGM-7K3QXRJ`.

    A token that reads as a valid ID counts, unless it is an ordinary word after the
    prefix (no digit and only a space between). A token with letters and digits that
    does not read (a typo, a missing symbol) still counts as an attempt to quote one.
    """
    if not prefixes:
        return []
    alternatives = "|".join(re.escape(p) for p in prefixes)
    shape = re.compile(
        rf"(?<![^\W_])(?P<prefix>{alternatives})(?P<sep>[ _.\-]?)(?P<body>[^\W_]{{4,9}})(?![^\W_])",
        re.IGNORECASE,
    )
    quotes = []
    for found in shape.finditer(text):
        body, sep = found.group("body"), found.group("sep")
        has_digit = any(ch.isdigit() for ch in body)
        canonical = normalize_tracking_id(f"{found.group('prefix')}-{body}")
        if canonical and (has_digit or sep not in ("", " ")):
            quotes.append(_Quote(found.group(0), canonical))
        elif has_digit and any(ch.isalpha() for ch in body):
            quotes.append(_Quote(found.group(0), None))
    return quotes


def _status_query(candidate: str, text: str, table: KeywordTable) -> SmsReading | None:
    """`CEK TGM-7K3QXRJ` (`candidate` is the text or the text after a region
    keyword); a bare `CEK` too. `Cek jalan rusak ...` is a complaint."""
    command = _STATUS_COMMAND.match(candidate)
    if not command:
        return None
    rest = command.group("rest")
    canonical = normalize_tracking_id(rest) if rest else None
    quotes = [_Quote(rest, canonical)] if canonical else _quoted_ids(rest, table.tracking_prefixes)
    if not quotes:
        if " " in rest or len(rest) > MAX_QUOTED_LENGTH:
            return None  # `Cek jalan rusak di ...` is a complaint
        quotes = [_Quote(rest, None)] if rest else []
    quote = next((q for q in quotes if q.tracking_id), quotes[0] if quotes else None)
    return SmsReading(
        SmsIntent.STATUS_QUERY,
        text,
        tracking_id=quote.tracking_id if quote else None,
        quoted_id=quote.written if quote else None,
    )


def parse_sms(body: str, table: KeywordTable) -> SmsReading:
    """The one reading of an SMS body; see the module docstring for the rules."""
    text = normalize_text(body)
    as_complaint = read_complaint(text, table)
    for candidate in (text, as_complaint.content):
        status = _status_query(candidate, text, table) if candidate else None
        if status:
            return status
    quotes = _quoted_ids(text, table.tracking_prefixes)
    if quotes:
        quote = next((q for q in quotes if q.tracking_id), quotes[0])
        return SmsReading(
            SmsIntent.REPLY, text, tracking_id=quote.tracking_id, quoted_id=quote.written
        )
    return read_complaint(text, table)


def read_complaint(body: str, table: KeywordTable) -> SmsReading:
    """A text read only as a complaint: the region keyword, if any, and the text
    after it (for channels where tracking IDs and commands mean nothing)."""
    text = normalize_text(body)
    matched = table.match(text)
    region, rest = matched if matched else (None, text)
    content = rest.lstrip(_SEPARATORS).strip()
    if not _has_words(content):
        return SmsReading(SmsIntent.NEEDS_CONTENT, text, region=region)
    intent = SmsIntent.COMPLAINT if region else SmsIntent.NO_KEYWORD
    return SmsReading(intent, text, content=content, region=region)


def title_from(content: str, limit: int = TITLE_LENGTH) -> str:
    """The first words of a text, at most `limit` characters."""
    if len(content) <= limit:
        return content
    cut = content[: limit + 1].rsplit(" ", 1)[0]
    return (cut if 0 < len(cut) <= limit else content[:limit]).rstrip(" ,.;:-")


def content_fingerprint(text: str) -> str:
    """Equal for one text however its case, spacing or Unicode form was sent."""
    return hashlib.sha256(normalize_text(text).casefold().encode()).hexdigest()


def duplicate_keys(
    sender: str, text: str, received_at: datetime, window: timedelta = DUPLICATE_WINDOW
) -> tuple[str, tuple[str, str]]:
    """The content key a delivery claims, and the keys of the windows beside it.

    Time is cut into windows; a delivery claims the key of its own window and fails
    if a neighbour's key is taken. So two deliveries of one text less than a window
    apart always meet, and two more than two windows apart never do.
    """
    if received_at.utcoffset() is None:
        raise ValueError("received_at must be timezone-aware")
    index = int(received_at.timestamp() // window.total_seconds())
    base = f"sms-content:{sender}:{content_fingerprint(text)}"
    return f"{base}:{index}", (f"{base}:{index - 1}", f"{base}:{index + 1}")


# First words of an SMS reply to a resolution, as the resolution SMS invites them.
_CONFIRM_WORDS = frozenset({"SETUJU", "YA", "PUAS", "SELESAI"})
_DISPUTE_WORDS = frozenset({"SANGGAH", "TIDAK", "BELUM", "TOLAK"})


def reply_kind(text: str, tracking_id: str, awaiting_answer: bool) -> str:
    """What an SMS reply from the reporter says: `confirm` or `dispute` when it
    answers a resolution with one of the invited words (`TGM-7K3QX SETUJU`), else
    `information`."""
    words = [w for w in text.split() if normalize_tracking_id(w.strip(".,!:")) != tracking_id]
    first = words[0].strip(".,!:").upper() if words else ""
    if awaiting_answer and first in _CONFIRM_WORDS:
        return "confirm"
    if awaiting_answer and first in _DISPUTE_WORDS:
        return "dispute"
    return "information"
