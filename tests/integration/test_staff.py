"""Staff routes: routing, follow-up, who may see what, queues."""

import pytest

from tests.integration.conftest import auth, file, follow_up, post_json, route


def test_the_central_admin_routes_a_complaint_to_an_agency(client):
    tid = file(client)["tracking_id"]

    response = route(client, tid, "PUPR")

    assert response.status_code == 200
    assert response.json_body["status"] == "routed"
    assert response.json_body["agency"] == {
        "code": "PUPR",
        "name": "Dinas Pekerjaan Umum dan Penataan Ruang",
    }


def test_routing_to_an_agency_the_region_does_not_have_names_the_field(client):
    tid = file(client)["tracking_id"]

    response = route(client, tid, "NOPE")

    assert response.status_code == 400
    assert response.json_body["error"]["field"] == "agency"


def test_an_agency_officer_cannot_route(client):
    tid = file(client)["tracking_id"]
    route(client, tid, "PUPR")

    response = route(client, tid, "DINKES", as_=auth("agency", agency="PUPR"))

    assert response.status_code == 403


def test_a_regional_admin_cannot_route_before_intervention(client):
    tid = file(client)["tracking_id"]

    response = route(client, tid, "PUPR", as_=auth("admin_daerah", region="tanggamus"))

    assert response.status_code == 403


def test_the_responsible_agency_follows_up_and_the_clock_stops(client, clock):
    tid = file(client)["tracking_id"]
    route(client, tid, "PUPR")
    clock.set("2025-04-02T03:00:00Z")

    response = follow_up(client, tid)

    assert response.status_code == 200
    assert response.json_body["status"] == "followed_up"
    assert response.json_body["deadlines"]["clock_stopped_at"] == "2025-04-02T10:00:00+07:00"


def test_an_officer_of_another_agency_gets_404_as_if_the_complaint_did_not_exist(client):
    tid = file(client)["tracking_id"]
    route(client, tid, "PUPR")
    dinkes = auth("agency", agency="DINKES")

    assert client.http.get(f"/staff/complaints/{tid}", headers=dinkes).status_code == 404
    assert follow_up(client, tid, as_=dinkes).status_code == 404


def test_an_unrouted_complaint_is_invisible_to_agencies(client):
    tid = file(client)["tracking_id"]

    response = client.http.get(f"/staff/complaints/{tid}", headers=auth("agency", agency="PUPR"))

    assert response.status_code == 404


def test_a_regional_admin_of_another_region_gets_404(client):
    tid = file(client)["tracking_id"]

    response = client.http.get(
        f"/staff/complaints/{tid}", headers=auth("admin_daerah", region="pringsewu")
    )

    assert response.status_code == 404


def test_an_anonymous_reporter_is_hidden_from_the_agency_and_from_the_admin_until_revealed(client):
    tid = file(client, anonymous=True, nik="3506042602660001")["tracking_id"]
    route(client, tid, "PUPR")

    agency_view = client.http.get(f"/staff/complaints/{tid}", headers=auth("agency", agency="PUPR"))
    queue = client.http.get("/staff/queues/agency", headers=auth("agency", agency="PUPR"))
    admin_view = client.http.get(f"/staff/complaints/{tid}", headers=auth("admin_pusat"))

    for shown in (agency_view.body.decode(), queue.body.decode()):
        assert "Sumiyati" not in shown and "3506042602660001" not in shown
        assert "6281234567890" not in shown
    assert agency_view.json_body["reporter"] is None
    assert admin_view.json_body["reporter"] is None
    revealed = post_json(
        client,
        f"/staff/complaints/{tid}/reveal",
        {"reason": "Verifikasi identitas"},
        auth("admin_pusat"),
    )
    assert revealed.json_body["reporter"]["name"] == "Sumiyati"


def test_the_staff_view_carries_the_event_history(client):
    tid = file(client)["tracking_id"]
    route(client, tid, "PUPR")
    follow_up(client, tid)

    events = client.http.get(f"/staff/complaints/{tid}", headers=auth("admin_pusat")).json_body[
        "events"
    ]

    assert [e["type"] for e in events] == ["received", "routed", "followed_up"]
    assert [e["seq"] for e in events] == [1, 2, 3]
    assert events[1]["role"] == "admin_pusat" and events[1]["data"]["agency"] == "PUPR"


def test_the_state_table_refuses_following_up_a_resolved_case(client):
    tid = file(client)["tracking_id"]
    route(client, tid, "PUPR")
    follow_up(client, tid)
    post_json(
        client,
        f"/staff/complaints/{tid}/resolve",
        {"outcome": "Jalan sudah ditambal"},
        auth("agency", agency="PUPR"),
    )

    response = follow_up(client, tid)

    assert response.status_code == 409
    assert response.json_body["error"]["code"] == "invalid_transition"


def test_an_admin_closes_a_resolved_complaint(client):
    tid = file(client)["tracking_id"]
    route(client, tid, "PUPR")
    follow_up(client, tid)
    pupr = auth("agency", agency="PUPR")
    post_json(client, f"/staff/complaints/{tid}/resolve", {"outcome": "Sudah ditambal"}, pupr)

    closed = post_json(
        client, f"/staff/complaints/{tid}/close", {"reason": "Pelapor puas"}, auth("admin_pusat")
    )

    assert closed.status_code == 200
    shown = closed.json_body
    assert (shown["status"], shown["closure"]) == ("closed", "closed_by_admin")
    public = client.http.get(f"/complaints/{tid}").json_body
    assert (public["status"], public["closure"]) == ("closed", "closed_by_admin")


@pytest.mark.parametrize(
    "header", [{}, {"Authorization": "Bearer nonsense"}, {"Authorization": "Basic abc"}]
)
def test_staff_routes_need_a_valid_bearer_token(client, header):
    tid = file(client)["tracking_id"]

    response = client.http.get(f"/staff/complaints/{tid}", headers=header)

    assert response.status_code == 401
    assert response.json_body["error"]["code"] == "unauthenticated"


def test_the_triage_queue_pages_oldest_first_with_an_opaque_cursor(client, clock):
    filed = []
    for day in range(1, 6):
        clock.set(f"2025-03-0{day}T02:00:00Z")
        filed.append(file(client)["tracking_id"])
    admin = auth("admin_pusat")

    first = client.http.get("/staff/queues/triage?limit=2", headers=admin).json_body
    second = client.http.get(
        f"/staff/queues/triage?limit=2&cursor={first['cursor']}", headers=admin
    )
    rest = client.http.get(
        f"/staff/queues/triage?limit=2&cursor={second.json_body['cursor']}", headers=admin
    ).json_body

    seen = [i["tracking_id"] for i in first["items"] + second.json_body["items"] + rest["items"]]
    assert seen == filed


def test_a_routed_complaint_leaves_triage_and_enters_the_agency_queue(client):
    tid = file(client)["tracking_id"]
    route(client, tid, "PUPR")

    triage = client.http.get("/staff/queues/triage", headers=auth("admin_pusat")).json_body
    agency = client.http.get(
        "/staff/queues/agency", headers=auth("agency", agency="PUPR")
    ).json_body

    assert triage["items"] == []
    assert [i["tracking_id"] for i in agency["items"]] == [tid]


@pytest.mark.parametrize("cursor", ["garbage", "eyJhIjoxfQ", "eyJzdGFnZV9xdWV1ZSI6eyJTIjoieCJ9fQ"])
def test_a_tampered_cursor_is_a_400(client, cursor):
    response = client.http.get(f"/staff/queues/triage?cursor={cursor}", headers=auth("admin_pusat"))

    assert response.status_code == 400
    assert response.json_body["error"]["field"] == "cursor"


def test_an_agency_officer_cannot_read_the_triage_queue(client):
    response = client.http.get("/staff/queues/triage", headers=auth("agency", agency="PUPR"))

    assert response.status_code == 403


def test_an_unknown_queue_is_a_404(client):
    response = client.http.get("/staff/queues/everything", headers=auth("admin_pusat"))

    assert response.status_code == 404


def test_an_admin_asking_for_an_unknown_agency_queue_gets_400(client):
    response = client.http.get("/staff/queues/agency?agency=NOPE", headers=auth("admin_pusat"))

    assert response.status_code == 400
    assert response.json_body["error"]["field"] == "agency"


def test_a_regional_admin_token_with_the_region_in_capitals_sees_its_region(client):
    tid = file(client)["tracking_id"]

    response = client.http.get(
        f"/staff/complaints/{tid}", headers=auth("admin_daerah", region="TANGGAMUS")
    )

    assert response.status_code == 200


@pytest.mark.parametrize("limit", ["0", "abc", "1000000000", "-1", "\u0661"])
def test_a_queue_limit_out_of_range_is_a_400(client, limit):
    response = client.http.get(f"/staff/queues/triage?limit={limit}", headers=auth("admin_pusat"))

    assert response.status_code == 400
    assert response.json_body["error"]["field"] == "limit"
