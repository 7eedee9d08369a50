"""Request bodies, validated with pydantic. Unknown fields are refused: a
misspelt `anonymous` must not silently expose a reporter."""

from __future__ import annotations

import re
from datetime import date as Date
from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    field_validator,
)

from chalicelib.domain.calendar import ChangeType, HolidayKind
from chalicelib.domain.complaint import Reporter
from chalicelib.domain.errors import ValidationError
from chalicelib.domain.identity import nik_problem
from chalicelib.services.calendars import ChangeRequest
from chalicelib.services.intake import NewComplaint
from chalicelib.services.phones import canonical_phone

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# C0 controls other than tab and newlines, DEL and C1 controls: never part of a complaint.
# Unicode non-characters and lone surrogates cannot be stored or shown (XML refuses them).
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]"
)
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))

Text = Annotated[StrictStr, Field(min_length=1)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _clean_text(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        if _CONTROL.search(value):
            raise ValueError("contains control characters")
        # Web forms send "" for a field left empty; invisible characters alone are empty too.
        return None if not value.translate(_INVISIBLE).strip() else value


class NewComplaintRequest(_Body):
    region: StrictStr | None = None
    name: Annotated[StrictStr, Field(max_length=200)] | None = None
    nik: StrictStr | None = None
    phone: Annotated[StrictStr, Field(max_length=32)] | None = None
    email: Annotated[StrictStr, Field(max_length=254)] | None = None
    title: Annotated[Text, Field(max_length=200)]
    description: Annotated[Text, Field(max_length=4000)]
    category: Annotated[StrictStr, Field(max_length=100)] | None = None
    location: Annotated[StrictStr, Field(max_length=500)] | None = None
    anonymous: StrictBool = False
    confidential: StrictBool = False

    @field_validator("name", "title", "location", "category", "phone", "email", "nik")
    @classmethod
    def _one_line(cls, value: str | None) -> str | None:
        if value is not None and any(ch in value for ch in "\r\n\t"):
            raise ValueError("must be one line (no line breaks or tabs)")
        return value

    @field_validator("nik", "phone", mode="before")
    @classmethod
    def _digits_as_text(cls, value: Any) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool):
            raise ValueError("send it as a string: as a JSON number it can lose digits")
        return value

    @field_validator("nik")
    @classmethod
    def _nik(cls, value: str | None) -> str | None:
        if value is not None and (problem := nik_problem(value)):
            raise ValueError(problem)
        return value

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if value is not None and canonical_phone(value) is None:
            raise ValueError("not a valid Indonesian phone number")
        return value

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not _EMAIL.match(value):
            raise ValueError("not a valid email address")
        return value

    def to_new_complaint(self, channel: str = "web") -> NewComplaint:
        """The complaint to file; a reporter who is not anonymous must be reachable."""
        if not self.anonymous and not self.name:
            raise ValidationError("name is required unless the complaint is anonymous", "name")
        if not self.anonymous and not (self.phone or self.email):
            raise ValidationError(
                "give a phone number or an email address, or file anonymously", "phone"
            )
        return NewComplaint(
            title=self.title,
            description=self.description,
            reporter=Reporter(
                name=self.name,
                nik=self.nik,
                phone_raw=self.phone,
                phone=canonical_phone(self.phone) if self.phone else None,
                email=self.email,
            ),
            anonymous=self.anonymous,
            confidential=self.confidential,
            category=self.category,
            location=self.location,
            channel=channel,
        )


class _Change(_Body):
    """A change of a complaint. `version` is the version the caller read: when it
    is sent and the complaint changed since, the change is refused with 409."""

    version: Annotated[StrictInt, Field(ge=1)] | None = None


class _Update(_Change):
    """An agency's update. `occurred_at` is when it was made, for apps that sync
    later: an update made before the complaint's current state never moves it."""

    occurred_at: AwareDatetime | None = None


class RouteRequest(_Change):
    agency: Annotated[Text, Field(max_length=32)]


class FollowUpRequest(_Update):
    text: Annotated[Text, Field(max_length=4000)]


class ResolveRequest(_Update):
    outcome: Annotated[Text, Field(max_length=4000)]


class CloseRequest(_Change):
    reason: Annotated[Text, Field(max_length=1000)]


class ReasonRequest(_Change):
    """Reject, quarantine, release: the reason is required and recorded."""

    reason: Annotated[Text, Field(max_length=1000)]


class AttachRequest(_Body):
    """The complaint an unplaced inbound message belongs to."""

    tracking_id: Annotated[Text, Field(max_length=32)]


class RevealRequest(_Change):
    """Why an admin needs an anonymous reporter's identity: recorded, so it must
    say something (at least a few words' worth)."""

    reason: Annotated[Text, Field(min_length=10, max_length=1000)]


class DeclineRequest(_Update):
    """The agency's "not our authority", with the reason."""

    reason: Annotated[Text, Field(max_length=1000)]


class AcceptRequest(_Change):
    note: Annotated[Text, Field(max_length=1000)] | None = None


class InfoRequest(_Change):
    """What the reporter must add."""

    missing: Annotated[Text, Field(max_length=500)]


class NoteRequest(_Change):
    text: Annotated[Text, Field(max_length=4000)]


class DuplicateRequest(_Change):
    master: Annotated[Text, Field(max_length=32)]


class ReplyRequest(_Body):
    """The reporter's answer: confirm or dispute a resolution, or add information."""

    kind: Literal["confirm", "dispute", "information"]
    text: Annotated[Text, Field(max_length=4000)] | None = None
    version: Annotated[StrictInt, Field(ge=1)] | None = None

    def needed_text(self) -> str | None:
        """A dispute says why, and information says what: both need text."""
        if self.kind != "confirm" and self.text is None:
            raise ValidationError(f"text is required to {self.kind}", field="text")
        return self.text


class RatingRequest(_Body):
    rating: Annotated[StrictInt, Field(ge=1, le=4)]
    comment: Annotated[Text, Field(max_length=1000)] | None = None


class ApiClientRequest(_Body):
    client: Annotated[Text, Field(max_length=100)]


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
FIRST_YEAR, LAST_YEAR = 2000, 2099  # the years a calendar can be asked for or changed


def calendar_date(value: str) -> Date:
    """A calendar date written YYYY-MM-DD within the years the service handles."""
    try:
        day = Date.fromisoformat(value) if _ISO_DATE.match(value) else None
    except ValueError:
        day = None
    if day is None:
        raise ValueError("must be a date written YYYY-MM-DD, e.g. 2024-11-27")
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(f"must be in the years {FIRST_YEAR} to {LAST_YEAR}")
    return day


class HolidayChangeBody(_Body):
    """An admin change of the holiday calendar: a day off added or removed."""

    date: StrictStr
    change: Literal["add", "remove"]
    scope: Annotated[Text, Field(max_length=64)]
    kind: Literal["national", "cuti_bersama", "regional"] | None = None
    name: Annotated[StrictStr, Field(max_length=200)] | None = None
    reason: Annotated[Text, Field(max_length=1000)]

    @field_validator("date")
    @classmethod
    def _date(cls, value: str) -> str:
        calendar_date(value)
        return value

    def to_request(self) -> ChangeRequest:
        return ChangeRequest(
            scope=self.scope.lower(),
            day=calendar_date(self.date),
            change=ChangeType(self.change),
            reason=self.reason,
            kind=HolidayKind(self.kind) if self.kind else None,
            name=self.name,
        )
