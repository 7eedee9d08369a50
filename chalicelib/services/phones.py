"""Indonesian phone numbers: kept as received, and in canonical +62 form."""

from __future__ import annotations

import re

import phonenumbers

from chalicelib.domain.inbound import Sender

_WRITTEN_NUMBER = re.compile(r"^\+?[0-9][0-9 ().\-]{5,24}$")


def canonical_phone(raw: str) -> str | None:
    """The E.164 form (+62…) of an Indonesian number as people write it (0812-…,
    62812…, +62 812 …), or None when it is not a valid Indonesian number."""
    text = raw.strip()
    if not _WRITTEN_NUMBER.match(text):
        return None  # the library would quietly drop trailing letters
    if text.startswith("62") and not text.startswith("620"):
        text = "+" + text  # written without the plus; a leading 0 is the trunk prefix
    try:
        number = phonenumbers.parse(text, "ID")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number) or number.country_code != 62:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


_CERTAIN_FORMS = re.compile(r"^(\+62|62(?!0)|0(?!0))")
_PUNCTUATION = re.compile(r"[\s().\-]")


def read_sender(raw: str) -> Sender:
    """The sender of an inbound SMS. A number written with +62, 62 or the trunk 0 is
    made canonical; anything else (no prefix, a short code, a foreign number) could
    be read more than one way, so it is flagged and kept exactly as received."""
    written = _PUNCTUATION.sub("", raw.strip())
    canonical = canonical_phone(raw) if _CERTAIN_FORMS.match(written) else None
    return Sender(raw=raw, canonical=canonical, ambiguous=canonical is None)
