"""Every staff route against every role: the answer each caller gets.

Each row puts a fresh complaint in the state the action needs, then calls the
route as each role. What a caller may not see answers 404 (as if absent); what
they see but may not do answers 403; no token answers 401. The last test fails
when a staff route exists that the table does not cover."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

import pytest

from tests.integration.conftest import auth, deliver_sms, file, follow_up, post_json, route

ROLES: dict[str, dict | None] = {
    "no token": None,
    "admin_pusat": {"role": "admin_pusat"},
    "admin_daerah": {"role": "admin_daerah", "region": "tanggamus"},
    # A region this deployment does not serve: its queues are 404 like its complaints.
    "admin_daerah of another region": {"role": "admin_daerah", "region": "pringsewu"},
    "officer of the agency": {"role": "agency", "agency": "PUPR"},
    "officer of another agency": {"role": "agency", "agency": "DINKES"},
}


def filed(client) -> str:
    return file(client)["tracking_id"]


def routed(client) -> str:
    tid = filed(client)
    assert route(client, tid, "PUPR").status_code == 200
    return tid


def followed_up(client) -> str:
    tid = routed(client)
    assert follow_up(client, tid).status_code == 200
    return tid


def resolved(client) -> str:
    tid = followed_up(client)
    done = post_json(
        client, f"/staff/complaints/{tid}/resolve", {"outcome": "Sudah ditambal"}, pupr()
    )
    assert done.status_code == 200, done.body
    return tid


def quarantined(client) -> str:
    tid = filed(client)
    held = post_json(
        client, f"/staff/complaints/{tid}/quarantine", {"reason": "Iklan"}, auth("admin_pusat")
    )
    assert held.status_code == 200, held.body
    return tid


def anonymous_routed(client) -> str:
    tid = file(client, anonymous=True)["tracking_id"]
    assert route(client, tid, "PUPR").status_code == 200
    return tid


def unplaced_message(client) -> str:
    """An SMS quoting an ID that matches no complaint, by its (URL-quoted) key."""
    key = deliver_sms(client, "form", "TGM-7K3QX ada perkembangan?", message_id="gw-x")["id"]
    return quote(key, safe="")


def complaint_body(client) -> dict:
    return {"tracking_id": filed(client)}


def master_body(client) -> dict:
    """A body naming another complaint of the region as the master."""
    return {"master": filed(client)}


def pupr() -> dict:
    return auth("agency", agency="PUPR")


@dataclass(frozen=True)
class Row:
    method: str
    path: str  # as registered; {tracking_id} is filled from the setup
    setup: Callable[..., str] | None
    body: dict | Callable[..., dict] | None
    expected: tuple[int, int, int, int, int, int]  # in the order of ROLES
    query: str = ""


# Verification is the central admin's; an unrouted complaint does not exist for agencies.
VERIFYING = (401, 200, 403, 404, 404, 404)

TABLE = [
    Row("GET", "/staff/complaints/{tracking_id}", routed, None, (401, 200, 200, 404, 200, 404)),
    Row(
        "GET",
        "/staff/complaints/{tracking_id}/events",
        routed,
        None,
        (401, 200, 200, 404, 200, 404),
    ),
    # Admins of the region reveal an anonymous reporter; the agency never does.
    Row(
        "POST",
        "/staff/complaints/{tracking_id}/reveal",
        anonymous_routed,
        {"reason": "Klarifikasi lokasi dengan pelapor"},
        (401, 200, 200, 404, 403, 404),
    ),
    Row("POST", "/staff/complaints/{tracking_id}/accept", filed, {}, VERIFYING),
    Row(
        "POST",
        "/staff/complaints/{tracking_id}/request-info",
        filed,
        {"missing": "Alamat lengkap"},
        VERIFYING,
    ),
    Row(
        "POST",
        "/staff/complaints/{tracking_id}/reject",
        filed,
        {"reason": "Bukan aduan"},
        VERIFYING,
    ),
    Row(
        "POST", "/staff/complaints/{tracking_id}/quarantine", filed, {"reason": "Iklan"}, VERIFYING
    ),
    Row(
        "POST",
        "/staff/complaints/{tracking_id}/release",
        quarantined,
        {"reason": "Asli"},
        VERIFYING,
    ),
    Row(
        "POST",
        "/staff/complaints/{tracking_id}/decline",
        routed,
        {"reason": "Bukan kewenangan kami"},
        (401, 403, 403, 404, 200, 404),
    ),
    Row(
        "POST",
        "/staff/complaints/{tracking_id}/notes",
        routed,
        {"text": "Sudah ditelepon"},
        (401, 200, 200, 404, 200, 404),
    ),
    Row(
        "POST",
        "/staff/complaints/{tracking_id}/duplicate",
        filed,
        master_body,
        (401, 200, 200, 404, 404, 404),
    ),
    Row(
        "POST",
        "/staff/complaints/{tracking_id}/route",
        filed,
        {"agency": "PUPR"},
        (401, 200, 403, 404, 404, 404),
    ),
    Row(
        "POST",
        "/staff/complaints/{tracking_id}/follow-ups",
        routed,
        {"text": "Sudah ditinjau ke lokasi"},
        (401, 403, 403, 404, 200, 404),
    ),
    Row(
        "POST",
        "/staff/complaints/{tracking_id}/resolve",
        followed_up,
        {"outcome": "Sudah ditambal"},
        (401, 403, 403, 404, 200, 404),
    ),
    Row(
        "POST",
        "/staff/complaints/{tracking_id}/close",
        resolved,
        {"reason": "Pelapor puas"},
        (401, 200, 200, 404, 403, 404),
    ),
    Row("GET", "/staff/queues/{queue}", None, None, (401, 200, 200, 404, 403, 403), "triage"),
    Row("GET", "/staff/queues/{queue}", None, None, (401, 200, 200, 404, 403, 403), "intervention"),
    Row("GET", "/staff/queues/{queue}", None, None, (401, 200, 403, 404, 403, 403), "takeover"),
    Row(
        "GET",
        "/staff/queues/{queue}",
        None,
        None,
        (401, 200, 200, 404, 403, 403),
        "awaiting-reply",
    ),
    Row(
        "GET",
        "/staff/queues/{queue}",
        None,
        None,
        (401, 200, 200, 404, 200, 200),
        "agency?agency=PUPR",
    ),
    # The export answers exactly as the queue it exports.
    Row(
        "GET",
        "/staff/queues/{queue}/export",
        None,
        None,
        (401, 200, 200, 404, 403, 403),
        "triage",
    ),
    Row(
        "GET",
        "/staff/queues/{queue}/export",
        None,
        None,
        (401, 200, 403, 404, 403, 403),
        "takeover",
    ),
    Row(
        "GET",
        "/staff/queues/{queue}/export",
        None,
        None,
        (401, 200, 200, 404, 200, 200),
        "agency?agency=PUPR",
    ),
    Row(
        "POST",
        "/staff/api-keys",
        None,
        {"client": "Aplikasi Lapor"},
        (401, 201, 403, 403, 403, 403),
    ),
    Row("GET", "/staff/api-keys", None, None, (401, 200, 403, 403, 403, 403)),
    Row("GET", "/staff/inbound", None, None, (401, 200, 403, 403, 403, 403)),
    Row(
        "POST",
        "/staff/inbound/{key}/attach",
        unplaced_message,
        complaint_body,
        (401, 200, 403, 403, 403, 403),
    ),
    Row(
        "POST",
        "/staff/calendar/changes",
        None,
        {
            "date": "2025-03-21",
            "change": "add",
            "scope": "tanggamus",
            "name": "Hari Jadi Kabupaten Tanggamus",
            "reason": "Perbup tentang hari libur daerah",
        },
        (401, 201, 201, 403, 403, 403),
    ),
    Row(
        "POST",
        "/staff/calendar/changes",
        None,
        {
            "date": "2025-03-21",
            "change": "add",
            "scope": "national",
            "name": "Cuti bersama tambahan",
            "reason": "SKB tiga menteri perubahan",
        },
        (401, 201, 403, 403, 403, 403),
    ),
    Row(
        "GET",
        "/staff/calendar/changes",
        None,
        None,
        (401, 200, 200, 403, 403, 403),
        "?scope=tanggamus&year=2025",
    ),
]


def cases():
    for row in TABLE:
        for (role, claims), status in zip(ROLES.items(), row.expected, strict=True):
            label = f"{row.method} {row.path}{' ' + row.query if row.query else ''} as {role}"
            yield pytest.param(row, claims, status, id=label)


@pytest.mark.parametrize(("row", "claims", "expected"), list(cases()))
def test_each_role_gets_the_expected_answer_from_each_staff_route(
    client, clock, row, claims, expected
):
    tid = row.setup(client) if row.setup else None
    path = row.path.replace("{tracking_id}", tid or "").replace("{key}", tid or "")
    if "{queue}" in path:
        name, mark, params = row.query.partition("?")
        path = path.replace("{queue}", name) + mark + params
    elif row.query:
        path += row.query
    headers = auth(**claims) if claims else {}
    if row.method == "GET":
        response = client.http.get(path, headers=headers)
    else:
        body = row.body(client) if callable(row.body) else row.body
        response = post_json(client, path, body or {}, headers)

    assert response.status_code == expected, response.body


def test_the_table_covers_every_staff_route():
    from app import app

    registered = {
        (method, path)
        for path, methods in app.routes.items()
        if path.startswith("/staff")
        for method in methods
    }
    covered = {(row.method, row.path) for row in TABLE}

    assert registered == covered
