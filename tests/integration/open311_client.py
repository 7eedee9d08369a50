"""Talking to /open311/v2 the way GeoReport clients do, in either format, and
reading answers back into one comparable shape."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

from tests.integration.conftest import auth, post_json

FORMATS = ("json", "xml")
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>'

SERVICE_FIELDS = [
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
]
# Every element a GeoReport v2 service request may carry.
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}


def get(client, path: str, fmt: str, **params: str):
    """GET /open311/v2/<path>.<fmt>?params"""
    query = f"?{urlencode(params)}" if params else ""
    return client.http.get(f"/open311/v2/{path}.{fmt}{query}")


def post_form(client, fields: dict | list, fmt: str = "json", headers: dict | None = None):
    return client.http.post(
        f"/open311/v2/requests.{fmt}", headers=FORM | (headers or {}), body=urlencode(fields)
    )


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def parsed(response, fmt: str):
    """The body as JSON data or an XML root, after checking the content type."""
    content_type = response.headers["Content-Type"]
    if fmt == "json":
        assert content_type.startswith("application/json")
        return json.loads(response.body)
    assert content_type.startswith("text/xml")
    assert response.body.startswith(XML_DECLARATION)
    return ET.fromstring(response.body)


def items(response, fmt: str, root: str, item: str) -> list[dict[str, str | None]]:
    """A list answer as flat records of text, whichever format carried it; in
    XML the root and every item element must be named as the specification says."""
    data = parsed(response, fmt)
    if fmt == "json":
        assert isinstance(data, list)
        return [{k: _text(v) for k, v in entry.items()} for entry in data]
    assert data.tag == root
    assert all(child.tag == item for child in data)
    return [{field.tag: field.text for field in child} for child in data]


def errors(response, fmt: str) -> list[dict[str, str | None]]:
    return items(response, fmt, "errors", "error")


def requests(response, fmt: str) -> list[dict[str, str | None]]:
    return items(response, fmt, "service_requests", "request")


def issue_api_key(client, name: str = "Aplikasi Lapor Warga") -> str:
    answer = post_json(client, "/staff/api-keys", {"client": name}, auth("admin_pusat"))
    assert answer.status_code == 201, answer.body
    return answer.json_body["api_key"]


def mobile_form(api_key: str, **overrides: str | None) -> dict:
    """What an Open311 mobile client sends for a pothole report."""
    fields = {
        "api_key": api_key,
        "jurisdiction_id": "tanggamus",
        "service_code": "jalan",
        "lat": "-5.4917",
        "long": "104.6242",
        "address_string": "Jl. Ir. H. Juanda, Pekon Kuripan, Kota Agung",
        "description": "Lubang besar di tengah jalan, sudah dua motor jatuh minggu ini.",
        "email": "siti.aminah@example.id",
        "first_name": "Siti",
        "last_name": "Aminah",
        "phone": "0812-3456-7890",
        "device_id": "android-3f9a",
        "attribute[kedalaman]": "30 cm",
    }
    fields.update(overrides)
    return {k: v for k, v in fields.items() if v is not None}
