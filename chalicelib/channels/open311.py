"""Open311 GeoReport v2 channel: the wire formats (JSON and XML, the
specification's error shape) and the form a client POSTs, turned into the same
new complaint every other channel files."""

from __future__ import annotations

import json
import math
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from enum import StrEnum
from urllib.parse import parse_qs

from chalice import Response

from chalicelib.api.schemas import NewComplaintRequest
from chalicelib.domain.errors import NotFoundError, ValidationError
from chalicelib.domain.open311 import Service, complaint_title, reporter_name
from chalicelib.services.intake import NewComplaint

CHANNEL = "open311"
MAX_FORM_FIELDS = 200
XML_TYPE = "text/xml; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"

# How a list is spelt in XML: the element each of its items becomes.
_ITEM = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}
_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")


class Format(StrEnum):
    JSON = "json"
    XML = "xml"


def split_format(resource: str) -> tuple[str, Format]:
    """`requests.json` -> ("requests", JSON); any other extension is not served."""
    name, dot, extension = resource.rpartition(".")
    if dot and extension.lower() in set(Format):
        return name, Format(extension.lower())
    raise NotFoundError(f"{resource!r} is not served: add .json or .xml")


def format_of_path(path: str) -> Format:
    """The format an answer should take when the path could not be resolved."""
    return Format.XML if path.lower().endswith(".xml") else Format.JSON


# -- answers -------------------------------------------------------------------


# Characters XML 1.0 cannot carry at all; text stored before input checks caught
# them must still never make the feed unreadable for every client.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def render(fmt: Format, root: str, body: dict | list, status: int = 200) -> Response:
    """A GeoReport answer: JSON as is, or XML under `root` with the list items
    named as the specification names them."""
    if fmt is Format.JSON:
        text = json.dumps(body, ensure_ascii=False)
        return Response(text, status_code=status, headers={"Content-Type": JSON_TYPE})
    element = ET.Element(root)
    _fill(element, root, body)
    text = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(element, encoding="unicode")
    return Response(text, status_code=status, headers={"Content-Type": XML_TYPE})


def _fill(element: ET.Element, name: str, value: object) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _fill(ET.SubElement(element, key), key, child)
    elif isinstance(value, list):
        for child in value:
            _fill(ET.SubElement(element, _ITEM[name]), _ITEM[name], child)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = _XML_ILLEGAL.sub("\ufffd", str(value))


def error(fmt: Format, status: int, description: str) -> Response:
    """The specification's error list: [{"code": 404, "description": "..."}]."""
    return render(fmt, "errors", [{"code": status, "description": description}], status)


# -- the POSTed form -----------------------------------------------------------

Form = dict[str, list[str]]


def parse_form(raw: bytes) -> Form:
    """An application/x-www-form-urlencoded body, repeated fields kept."""
    try:
        text = raw.decode("utf-8")
        return parse_qs(text, keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS)
    except UnicodeDecodeError:
        raise ValidationError("the form must be UTF-8") from None
    except ValueError:
        raise ValidationError(f"the form has more than {MAX_FORM_FIELDS} fields") from None


def field(form: Form, name: str) -> str | None:
    """The first value of a field; an empty value counts as absent."""
    values = form.get(name) or [""]
    return values[0] if values[0].strip() else None


def attributes(form: Form) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """`attribute[code]` and `attribute[code][]` values, by code."""
    found: dict[str, list[str]] = {}
    for key, values in form.items():
        if match := _ATTRIBUTE.match(key):
            found.setdefault(match.group(1), []).extend(v for v in values if v.strip())
    return tuple((code, tuple(values)) for code, values in found.items() if values)


def _coordinate(raw: str, name: str, bound: float) -> str:
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and -bound <= value <= bound):
        raise ValidationError(f"{name} must be a number from -{bound:g} to {bound:g}", field=name)
    return raw.strip()


def location_text(form: Form) -> str:
    """The location the specification requires, as our one location text:
    `address_string`, else `address_id`, with `(lat, long)` when given."""
    lat, long = field(form, "lat"), field(form, "long")
    if (lat is None) != (long is None):
        raise ValidationError("send lat and long together", field="lat" if lat is None else "long")
    address = field(form, "address_string") or field(form, "address_id")
    point = f"({_coordinate(lat, 'lat', 90)}, {_coordinate(long, 'long', 180)})" if lat else None
    if address is None and point is None:
        raise ValidationError(
            "a location is required: lat and long, address_string or address_id",
            field="address_string",
        )
    return " ".join(p for p in (address, point) if p)


def new_complaint(form: Form, service: Service) -> NewComplaint:
    """The complaint a GeoReport form files, validated exactly as `POST
    /complaints` validates. A reporter who gives no name and no contact files
    anonymously; one who gives either must be reachable, as on the web."""
    description = field(form, "description")
    name = reporter_name(field(form, "first_name"), field(form, "last_name"))
    phone, email = field(form, "phone"), field(form, "email")
    request = NewComplaintRequest(
        name=name,
        phone=phone,
        email=email,
        title=complaint_title(service.name, description or ""),
        description=description,
        category=service.code,
        location=location_text(form),
        anonymous=not (name or phone or email),
    )
    details = attributes(form)
    media = field(form, "media_url")
    if media and not media.lower().startswith(("https://", "http://")):
        raise ValidationError("media_url must be an http(s) address", field="media_url")
    if media:
        details += (("media_url", (media,)),)
    return replace(request.to_new_complaint(channel=CHANNEL), channel_details=details)
