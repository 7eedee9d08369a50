"""A report made the way Open311 mobile clients make it becomes a complaint the
rest of the service sees, through the same intake as every other channel."""

from tests.integration.conftest import auth
from tests.integration.open311_client import issue_api_key, mobile_form, post_form, requests


def post_report(client, **overrides) -> str:
    answer = post_form(client, mobile_form(issue_api_key(client), **overrides))
    assert answer.status_code == 200, answer.body
    (created,) = requests(answer, "json")
    return created["service_request_id"]


def test_a_mobile_report_is_a_complaint_the_public_can_follow(client, clock):
    tracking_id = post_report(client)

    public = client.http.get(f"/complaints/{tracking_id}").json_body

    assert public["status"] == "received"
    assert public["category"] == "jalan"
    assert public["title"].startswith("Jalan rusak: Lubang besar di tengah jalan")
    assert public["description"] == (
        "Lubang besar di tengah jalan, sudah dua motor jatuh minggu ini."
    )
    assert public["location"] == (
        "Jl. Ir. H. Juanda, Pekon Kuripan, Kota Agung (-5.4917, 104.6242)"
    )
    assert public["deadlines"]["follow_up_due"] == "2025-05-23"


def test_a_mobile_report_waits_in_the_central_admins_triage_queue(client, clock):
    tracking_id = post_report(client)

    triage = client.http.get("/staff/queues/triage", headers=auth("admin_pusat")).json_body

    (queued,) = triage["items"]
    assert queued["tracking_id"] == tracking_id
    assert queued["channel"] == "open311"


def test_the_reporter_is_kept_as_given_with_one_name_field(client, clock):
    tracking_id = post_report(client, first_name="I Gusti Ayu", last_name="Made Sari")

    staff = client.http.get(f"/staff/complaints/{tracking_id}", headers=auth("admin_pusat"))

    reporter = staff.json_body["reporter"]
    assert reporter["name"] == "I Gusti Ayu Made Sari"
    assert reporter["phone_raw"] == "0812-3456-7890"
    assert reporter["phone"] == "+6281234567890"
    assert reporter["email"] == "siti.aminah@example.id"


def test_a_single_name_is_a_whole_name(client, clock):
    tracking_id = post_report(client, first_name="Sumiyati", last_name=None)

    staff = client.http.get(f"/staff/complaints/{tracking_id}", headers=auth("admin_pusat"))

    assert staff.json_body["reporter"]["name"] == "Sumiyati"


def test_attributes_and_media_are_recorded_on_the_received_event(client, clock):
    tracking_id = post_report(
        client,
        **{
            "attribute[kedalaman]": "30 cm",
            "attribute[kendaraan][]": "motor",
            "media_url": "https://example.id/foto/1.jpg",
        },
    )

    staff = client.http.get(f"/staff/complaints/{tracking_id}", headers=auth("admin_pusat"))

    (received,) = staff.json_body["events"]
    assert received["data"]["channel"] == "open311"
    assert received["data"]["details"] == {
        "kedalaman": ["30 cm"],
        "kendaraan": ["motor"],
        "media_url": ["https://example.id/foto/1.jpg"],
    }


def test_repeated_list_attributes_keep_every_value(client, clock):
    key = issue_api_key(client)
    fields = [*mobile_form(key).items(), ("attribute[kendaraan][]", "motor")]
    fields.append(("attribute[kendaraan][]", "mobil"))

    answer = post_form(client, fields)

    (created,) = requests(answer, "json")
    staff = client.http.get(
        f"/staff/complaints/{created['service_request_id']}", headers=auth("admin_pusat")
    )
    assert staff.json_body["events"][0]["data"]["details"]["kendaraan"] == ["motor", "mobil"]


def test_a_report_with_no_name_and_no_contact_is_anonymous(client, clock):
    tracking_id = post_report(client, first_name=None, last_name=None, email=None, phone=None)

    staff = client.http.get(f"/staff/complaints/{tracking_id}", headers=auth("admin_pusat"))

    assert staff.json_body["anonymous"] is True


def test_a_named_reporter_must_be_reachable_as_on_the_web(client, clock):
    answer = post_form(client, mobile_form(issue_api_key(client), email=None, phone=None))

    assert answer.status_code == 400


def test_a_retried_post_with_the_same_idempotency_key_files_once(client, clock):
    key = issue_api_key(client)
    retry = {"Idempotency-Key": "app-7f3c"}

    first = requests(post_form(client, mobile_form(key), headers=retry), "json")
    second = requests(post_form(client, mobile_form(key), headers=retry), "json")

    assert first == second
    triage = client.http.get("/staff/queues/triage", headers=auth("admin_pusat")).json_body
    assert len(triage["items"]) == 1


def test_a_form_declaring_its_charset_is_accepted(client, clock):
    answer = post_form(
        client,
        mobile_form(issue_api_key(client)),
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"},
    )

    assert answer.status_code == 200, answer.body


def test_api_keys_are_issued_by_the_central_admin_only(client):
    refused = client.http.post(
        "/staff/api-keys",
        headers=auth("admin_daerah") | {"Content-Type": "application/json"},
        body='{"client": "x"}',
    )

    assert refused.status_code == 403


def test_listed_api_clients_never_show_a_key(client):
    key = issue_api_key(client, "Aplikasi Lapor Warga")

    listed = client.http.get("/staff/api-keys", headers=auth("admin_pusat"))

    (only,) = listed.json_body["clients"]
    assert only["client"] == "Aplikasi Lapor Warga"
    assert key not in listed.body.decode()


def test_a_media_url_that_is_not_a_web_address_is_refused(client):
    form = mobile_form(issue_api_key(client), media_url="javascript:alert(1)")

    answer = post_form(client, form)

    assert answer.status_code == 400
    assert "media_url" in answer.json_body[0]["description"]
