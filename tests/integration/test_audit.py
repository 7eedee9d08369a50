"""The record of a complaint: every change an event with who, role, when, what and
why, chained by digest so an edited or removed event shows; and the reveal of an
anonymous reporter, which is itself recorded."""

from __future__ import annotations

import json

from chalicelib.storage.models import EventItem
from tests.integration.conftest import auth, file, follow_up, post_json, route

ADMIN = auth("admin_pusat")
SECRET = ("Sumiyati", "3506042602660001", "6281234567890", "0812-3456-7890", "sumi@example.id")


def events(client, tid: str, headers: dict | None = None):
    return client.http.get(f"/staff/complaints/{tid}/events", headers=headers or ADMIN)


def worked(client) -> str:
    """A complaint filed, routed, followed up and noted: five events."""
    tid = file(client)["tracking_id"]
    assert route(client, tid, "PUPR").status_code == 200
    assert follow_up(client, tid).status_code == 200
    noted = post_json(client, f"/staff/complaints/{tid}/notes", {"text": "Dicek ulang"}, ADMIN)
    assert noted.status_code == 200
    return tid


def test_every_change_is_an_event_with_who_role_when_what_and_why(client, clock):
    tid = file(client)["tracking_id"]
    post_json(client, f"/staff/complaints/{tid}/reject", {"reason": "Bukan aduan layanan"}, ADMIN)

    trail = events(client, tid).json_body

    assert [e["type"] for e in trail["events"]] == ["received", "rejected"]
    rejected = trail["events"][1]
    assert rejected["role"] == "admin_pusat"
    assert rejected["actor"]
    assert rejected["at"] == "2025-03-27T09:00:00+07:00"
    assert rejected["data"]["reason"] == "Bukan aduan layanan"


def test_the_chain_of_an_untouched_complaint_verifies(client):
    tid = worked(client)

    trail = events(client, tid).json_body

    assert trail["chain"]["verified"] is True
    assert trail["chain"]["events"] == trail["version"] == 4
    assert trail["chain"]["problems"] == []
    linked = [e["previous"] for e in trail["events"][1:]]
    assert linked == [e["hash"] for e in trail["events"][:-1]]
    assert trail["chain"]["head"] == trail["events"][-1]["hash"]


def test_an_event_edited_in_the_table_is_reported_where_it_was_edited(client):
    tid = worked(client)
    item = EventItem.get(tid, 3)
    item.update(actions=[EventItem.data.set({"text": "Sudah selesai semua"})])

    trail = events(client, tid).json_body

    assert trail["chain"]["verified"] is False
    assert {"seq": 3, "problem": "altered"}.items() <= trail["chain"]["problems"][0].items()


def test_an_event_removed_from_the_middle_is_reported(client):
    tid = worked(client)
    EventItem.get(tid, 2).delete()

    trail = events(client, tid).json_body

    assert trail["chain"]["verified"] is False
    assert ("missing", 2) in {(p["problem"], p["seq"]) for p in trail["chain"]["problems"]}


def test_the_last_event_removed_is_reported(client):
    tid = worked(client)
    EventItem.get(tid, 4).delete()

    trail = events(client, tid).json_body

    assert trail["chain"]["verified"] is False
    assert [(p["problem"], p["seq"]) for p in trail["chain"]["problems"]] == [("truncated", 4)]


def test_a_stale_write_records_nothing_and_the_chain_still_verifies(client, clock):
    tid = file(client)["tracking_id"]
    before = client.http.get(f"/staff/complaints/{tid}", headers=ADMIN).json_body["version"]
    route(client, tid, "PUPR")
    stale = post_json(
        client, f"/staff/complaints/{tid}/notes", {"text": "x", "version": before}, ADMIN
    )

    assert stale.status_code == 409
    trail = events(client, tid).json_body
    assert [e["type"] for e in trail["events"]] == ["received", "routed"]
    assert trail["chain"]["verified"] is True


def test_the_agency_sees_the_record_of_a_complaint_routed_to_it_and_no_other(client):
    tid = worked(client)
    unrouted = file(client)["tracking_id"]

    own = events(client, tid, auth("agency", agency="PUPR"))
    other = events(client, unrouted, auth("agency", agency="PUPR"))

    assert own.status_code == 200
    assert other.status_code == 404


# -- anonymous reporters --------------------------------------------------------


def anonymous(client) -> str:
    tid = file(client, anonymous=True, nik=SECRET[1], email=SECRET[4])["tracking_id"]
    assert route(client, tid, "PUPR").status_code == 200
    return tid


def test_no_staff_view_shows_an_anonymous_reporter_until_an_admin_reveals_them(client):
    tid = anonymous(client)
    pupr = auth("agency", agency="PUPR")

    shown = [
        client.http.get(f"/staff/complaints/{tid}", headers=ADMIN),
        client.http.get(f"/staff/complaints/{tid}", headers=pupr),
        client.http.get("/staff/queues/agency", headers=pupr),
        client.http.get("/staff/queues/agency?agency=PUPR", headers=ADMIN),
        events(client, tid, pupr),
        events(client, tid),
    ]

    for response in shown:
        assert response.status_code == 200
        for secret in SECRET:
            assert secret not in response.body.decode(), (secret, response.body)


def test_an_admin_reveals_an_anonymous_reporter_and_the_reveal_is_recorded(client, clock):
    tid = anonymous(client)

    revealed = post_json(
        client,
        f"/staff/complaints/{tid}/reveal",
        {"reason": "Perlu konfirmasi lokasi dengan pelapor"},
        auth("admin_daerah"),
    )

    assert revealed.status_code == 200, revealed.body
    assert revealed.json_body["reporter"]["name"] == "Sumiyati"
    assert revealed.json_body["reporter"]["nik"] == SECRET[1]
    last = events(client, tid).json_body["events"][-1]
    assert last["type"] == "reporter_revealed"
    assert last["role"] == "admin_daerah"
    assert last["data"] == {"reason": "Perlu konfirmasi lokasi dengan pelapor"}
    assert last["seq"] == revealed.json_body["event"]
    # The reveal shows nothing to the agency afterwards.
    agency_view = client.http.get(f"/staff/complaints/{tid}", headers=auth("agency", agency="PUPR"))
    assert "Sumiyati" not in agency_view.body.decode()
    assert "Sumiyati" not in events(client, tid, auth("agency", agency="PUPR")).body.decode()


def test_a_reveal_needs_a_reason(client):
    tid = anonymous(client)

    response = post_json(client, f"/staff/complaints/{tid}/reveal", {}, ADMIN)

    assert response.status_code == 400
    assert response.json_body["error"]["field"] == "reason"
    assert [e["type"] for e in events(client, tid).json_body["events"]] == ["received", "routed"]


def test_an_agency_officer_cannot_reveal_and_nothing_is_recorded(client):
    tid = anonymous(client)

    response = post_json(
        client,
        f"/staff/complaints/{tid}/reveal",
        {"reason": "Ingin tahu"},
        auth("agency", agency="PUPR"),
    )

    assert response.status_code == 403
    assert "Sumiyati" not in response.body.decode()
    assert len(events(client, tid).json_body["events"]) == 2


def test_revealing_a_reporter_who_is_not_anonymous_is_a_conflict(client):
    tid = file(client)["tracking_id"]

    response = post_json(
        client, f"/staff/complaints/{tid}/reveal", {"reason": "Cek identitas pelapor"}, ADMIN
    )

    assert response.status_code == 409
    assert response.json_body["error"]["code"] == "not_anonymous"
    shown = client.http.get(f"/staff/complaints/{tid}", headers=ADMIN).json_body
    assert shown["reporter"]["name"] == "Sumiyati"


def test_the_reporter_sees_the_history_of_their_complaint_but_not_staff_internals(client):
    filed = file(client, anonymous=True)
    tid, code = filed["tracking_id"], filed["access_code"]
    route(client, tid, "PUPR")
    post_json(client, f"/staff/complaints/{tid}/notes", {"text": "Pelapor sulit dihubungi"}, ADMIN)
    post_json(client, f"/staff/complaints/{tid}/reveal", {"reason": "Perlu klarifikasi"}, ADMIN)

    mine = client.http.get(f"/complaints/{tid}", headers={"X-Access-Code": code}).json_body

    assert [h["type"] for h in mine["history"]] == ["received", "routed"]
    assert "Pelapor sulit dihubungi" not in json.dumps(mine)


def test_a_reveal_reason_must_say_something(client):
    tid = anonymous(client)

    response = post_json(client, f"/staff/complaints/{tid}/reveal", {"reason": "."}, ADMIN)

    assert response.status_code == 400
    assert response.json_body["error"]["field"] == "reason"
